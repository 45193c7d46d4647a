import ArgumentParser
import HubbubIO

/// What the connections do once they are up.
enum LoadMode: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Send timestamped binary messages and time their echoes.
    case echo
    /// Only hold the connections open (for measuring the server's memory per connection).
    case idle
    /// Speak `hubbub.v1` at `/ws`: join rooms, publish comments, time their fan-out.
    case hub
}

/// The client's I/O backend on the command line (the same words as `hubbub serve --io`).
enum IOChoice: String, CaseIterable, Sendable, ExpressibleByArgument {
    case auto
    case uring
    case epoll

    var backendChoice: IOBackendChoice {
        switch self {
        case .auto: .auto
        case .uring: .uring
        case .epoll: .epoll
        }
    }
}
