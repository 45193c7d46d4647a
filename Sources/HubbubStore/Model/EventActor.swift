/// Who caused an event: a person (as authenticated by their token) or a backend service
/// that published over the HTTP API. Stored with the event so a replayed event renders
/// the same `actor` object as the live one.
public enum EventActor: Sendable, Hashable {
    /// `id` is the JWT `sub`; `name` the display name at the time of the event.
    case user(id: String, name: String)
    /// A service name (`[a-z][a-z0-9_-]{0,63}`).
    case service(String)
}
