/// An appointment the partner booked for a client on a referral: when and where. It is all a
/// reminder to the client says.
public struct Appointment: Codable, Sendable, Equatable {
    public var id: ID<Appointment>
    public var referralId: ID<Referral>
    public var organizationId: ID<Organization>
    public var at: Timestamp
    public var place: String
    public var recordedBy: ID<User>
    public var recordedAt: Timestamp
    public var cancelledAt: Timestamp?

    public init(
        id: ID<Appointment>, referralId: ID<Referral>, organizationId: ID<Organization>, at: Timestamp, place: String,
        recordedBy: ID<User>, recordedAt: Timestamp, cancelledAt: Timestamp? = nil
    ) {
        self.id = id; self.referralId = referralId; self.organizationId = organizationId; self.at = at; self.place = place
        self.recordedBy = recordedBy; self.recordedAt = recordedAt; self.cancelledAt = cancelledAt
    }
}

public struct NewAppointment: Codable, Sendable, Equatable {
    public var at: Timestamp
    public var place: String

    public init(at: Timestamp, place: String) { self.at = at; self.place = place }

    public func validate(now: Timestamp) throws {
        var v = Validator()
        v.require(at > now, "at", "not-in-past", "at must be in the future")
        v.requireText(place, "place", maxLength: 200)
        try v.check()
    }
}

/// How a client agreed to be reminded of appointments; nil on a client: not reminded.
public enum ReminderChannel: String, Codable, Sendable, CaseIterable {
    case email
}

/// When a client's reminder goes: a day before the appointment, or at once when it is sooner.
public enum ClientReminders {
    public static let leadSeconds: Int64 = 24 * 3600
    public static let maxAttempts = 5

    public static func due(for appointment: Timestamp, now: Timestamp) -> Timestamp {
        max(now, appointment.adding(seconds: -leadSeconds))
    }
}
