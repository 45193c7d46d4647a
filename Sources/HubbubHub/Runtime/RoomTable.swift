import Logging
import Synchronization

/// The live rooms by project id. A room retires itself when idle; a request that reaches
/// a retired room asks here again and gets a fresh one.
final class RoomTable: Sendable {
    private let rooms = Mutex<[String: Room]>([:])

    /// Called with the number of live rooms whenever it changes (a metrics gauge).
    private let onCount: @Sendable (Int) -> Void

    init(onCount: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.onCount = onCount
    }

    func room(_ id: String, make: (String) -> Room) -> Room {
        let (room, count) = rooms.withLock { rooms -> (Room, Int?) in
            if let room = rooms[id] { return (room, nil) }
            let room = make(id)
            rooms[id] = room
            return (room, rooms.count)
        }
        if let count { onCount(count) }
        return room
    }

    func retire(_ room: Room) {
        let count = rooms.withLock { rooms -> Int? in
            guard rooms[room.id] === room else { return nil }
            rooms[room.id] = nil
            return rooms.count
        }
        if let count { onCount(count) }
    }

    var count: Int { rooms.withLock { $0.count } }

    /// Every live room (cluster maintenance).
    var all: [Room] { rooms.withLock { Array($0.values) } }
}
