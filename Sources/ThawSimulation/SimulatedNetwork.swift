import ThawCore
import ThawStorage

/// Organisations and people for a simulation on an empty database: a mix of
/// sectors like a real regional network, each organisation with a few
/// partnership leads who act for it.
public enum SimulatedNetwork {
    static let sectors: [(Sector, Alignment?, String)] = [
        (.primaryCare, .independentPrimaryCare, "Family Practice"), (.healthSystem, .centralSystem, "Health Services"),
        (.socialCare, nil, "Community Services"), (.community, nil, "Neighbourhood Centre"), (.government, .centralSystem, "Ministry Office")
    ]

    /// Creates `count` organisations with `peopleEach` leads each. `passwordHash` is stored for every
    /// simulated person (they never sign in unless given a real hash).
    public static func create(
        in store: ThawStore, organizations count: Int, peopleEach: Int = 3,
        passwordHash: String = "simulated-no-sign-in"
    ) async throws -> [ID<Organization>: [Actor]] {
        var people: [ID<Organization>: [Actor]] = [:]
        for n in 0..<count {
            // Primary care and social care are the most numerous in a real network.
            let (sector, alignment, kind) = sectors[[0, 0, 2, 2, 1, 3, 0, 2, 4, 3][n % 10]]
            let org = try await store.createOrganization(NewOrganization(name: "\(kind) \(n + 1)", sector: sector, alignment: alignment))
            for p in 0..<peopleEach {
                let user = try await store.createUser(
                    NewUser(
                        organizationId: org.id, email: "lead\(p + 1)@org\(n + 1).sim", displayName: "Lead \(p + 1) of \(kind) \(n + 1)",
                        roles: [.partnershipLead], password: "not-used-simulated"), passwordHash: passwordHash)
                people[org.id, default: []].append(Actor(userId: user.id, organizationId: org.id, sector: sector, roles: [.partnershipLead]))
            }
        }
        return people
    }
}
