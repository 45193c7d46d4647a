/// Where an outbox row is in its life (docs/email.md):
///
/// ```
/// pending ──claim──▶ leased ──complete──▶ sent
///    ▲ │               │ ├──deadLetter──▶ dead
///    │ │               │ └─(lease expires: claimable again, like pending)
///    │ └─cancel─▶ cancelled
///    └──retry / release──┘
/// ```
public enum OutboxState: String, Sendable, Hashable, CaseIterable {
    /// Not sent yet and not claimed; returned by ``Store/pendingNotifications(limit:)``.
    case pending
    /// Claimed by a mailer (``Store/claimDigests(_:)``) until its lease runs out.
    case leased
    /// Delivered (handed to the SMTP server or written as a file).
    case sent
    /// Dead letter: given up on (a permanent failure, or too many attempts).
    case dead
    /// Not to be sent: the user saw the event before the mailer claimed the row
    /// (``Store/cancelNotifications(userID:room:upToSeq:now:)``).
    case cancelled
}
