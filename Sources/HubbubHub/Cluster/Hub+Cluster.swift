import HubbubBroker

extension Hub {
    /// The cluster service (heartbeats, publishing, recovery); returns at once on a node
    /// that runs alone. Runs until cancelled.
    public func runCluster() async {
        guard let cluster else { return }
        await cluster.run(hub: self)
    }

    /// This node's id in its cluster (nil when it runs alone).
    public var nodeID: String? { cluster?.nodeID }

    /// Whether the user has a connection on this node or, in a cluster, on any live node.
    func isOnline(_ userID: String) async -> Bool {
        if users.isOnline(userID) { return true }
        guard let cluster else { return false }
        return await cluster.isOnline(userID)
    }

    /// A personal message from another node, for the user's connections here (if any).
    func receivePersonal(_ payload: [UInt8]) {
        guard case .personal(let node, let userID, let frame)? = ClusterMessage.decode(payload), node != cluster?.nodeID
        else { return }
        let refs = users.sessions(of: userID)
        guard !refs.isEmpty else { return }
        deliver(.personal(frame: textFrame(frame)), to: refs)
    }

    /// Every room forgets the connections of nodes that are no longer alive (their users'
    /// leaves are announced at once).
    func dropConnections(ofNodesNotIn live: Set<String>) async {
        for room in rooms.all {
            await room.dropConnections(ofNodesNotIn: live)
        }
    }

    /// After a broker outage: every room reads the events it missed and reloads the
    /// others' presence; this node's own presence is stored again.
    func recoverRooms() async {
        for room in rooms.all {
            await room.recoverAfterOutage()
        }
    }
}
