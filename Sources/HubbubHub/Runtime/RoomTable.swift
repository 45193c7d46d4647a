import Logging
import Synchronization

/// The live rooms by project id. A room retires itself when idle; a request that reaches
/// a retired room asks here again and gets a fresh one.
final class RoomTable: Sendable {
    private let rooms = Mutex<[String: Room]>([:])

    func room(_ id: String, make: (String) -> Room) -> Room {
        rooms.withLock { rooms in
            if let room = rooms[id] { return room }
            let room = make(id)
            rooms[id] = room
            return room
        }
    }

    func retire(_ room: Room) {
        rooms.withLock { rooms in
            if rooms[room.id] === room { rooms[room.id] = nil }
        }
    }

    var count: Int { rooms.withLock { $0.count } }
}
