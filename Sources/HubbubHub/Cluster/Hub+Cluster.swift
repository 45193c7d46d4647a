import HubbubBroker

extension Hub {
    /// The cluster service (heartbeats, publishing, recovery); returns at once on a node
    /// that runs alone. Runs until cancelled.
    public func runCluster() async {
        guard let cluster else { return }
        await cluster.run(hub: self)
    }

    /// Lets the messages of a shutdown (its connections' leaves) reach the other nodes
    /// before ``runCluster()`` is cancelled; returns at once on a node that runs alone.
    public func drainCluster(timeout: Duration = .seconds(3)) async {
        await cluster?.drain(timeout: timeout)
    }

    /// This node's id in its cluster (nil when it runs alone).
    public var nodeID: String? { cluster?.nodeID }

    /// Whether the user has a connection on this node or, in a cluster, on any live node.
    func isOnline(_ userID: String) async -> Bool {
        if users.isOnline(userID) { return true }
        guard let cluster else { return false }
        return await cluster.isOnline(userID)
    }

    /// A message of the personal channel from another node, for the user's connections
    /// here (if any): a mention, or the HTTP API's disconnect.
    func receivePersonal(_ payload: [UInt8]) {
        switch ClusterMessage.decode(payload) {
        case .personal(let node, let userID, let frame)? where node != cluster?.nodeID:
            let refs = users.sessions(of: userID)
            if !refs.isEmpty { deliver(.personal(frame: textFrame(frame)), to: refs) }
        case .disconnect(let node, let userID, let code, let reason)? where node != cluster?.nodeID:
            let refs = users.sessions(of: userID)
            if !refs.isEmpty { deliver(.disconnect(code: code, reason: reason), to: refs) }
        default:
            break
        }
    }

    /// Closes every session of the user on this node and, in a cluster, on the others;
    /// returns how many were on this node.
    func disconnect(userID: String, code: UInt16, reason: String) -> Int {
        if let cluster {
            cluster.publishPersonal(.disconnect(node: cluster.nodeID, userID: userID, code: code, reason: reason))
        }
        let refs = users.sessions(of: userID)
        deliver(.disconnect(code: code, reason: reason), to: refs)
        return refs.count
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
