import ThawCore

/// A repository bound to one actor. Every method checks the actor's roles,
/// organisation and the client's consents before it reads or writes, and
/// records what it did; routes cannot skip these checks because they only
/// ever get a `ScopedStore`.
public struct ScopedStore: Sendable {
    public let store: ThawStore
    public let actor: Actor
    /// The store's database, or the same with the caller's token checked in every transaction.
    let database: any SQLDatabase
    func now() -> Timestamp { store.clock.now() }
    /// Days as the actor's organisation counts them: "today", "due on", "this week".
    public var calendar: LocalCalendar { LocalCalendar(actor.timeZone) }
}
