import ThawCore

/// Reads a referral source's transaction Bundle (Task, ServiceRequest, Patient, Consents,
/// Conditions) into one `ReferralIntake`. References between the entries resolve by
/// `fullUrl` or by type and id; a reference to a resource Thaw already holds (`Patient/cli-…`,
/// `Condition/need-…`, `Organization/org-…`, `HealthcareService/svc-…`) names it. Every
/// refusal names the element as a FHIRPath expression into the Bundle.
struct ReferralBundleReader {
    let entries: [TransactionBundle.Entry]
    let now: Timestamp
    /// Where element paths start: nil for a Bundle's entries, the type for a resource posted alone.
    private var root: String?

    /// What each entry became, for the transaction's response.
    enum Role: Equatable { case patient, consent(Int), condition(Int), serviceRequest, task }

    struct Reading {
        var intake: ReferralIntake
        /// What each entry of the Bundle became, in order.
        var roles: [Role]
        /// Thaw's field names (as storage reports them) → the element in the Bundle they came from.
        var paths: [String: String]
        /// The organisations and service the referral names, which must exist.
        var organizations: [(ID<Organization>, path: String)]
    }

    /// Where a reference points: an entry of this Bundle, or a resource Thaw holds.
    enum Target: Equatable { case entry(Int), held(String) }

    init(_ bundle: TransactionBundle, now: Timestamp) throws {
        guard bundle.resourceType == "Bundle" else { throw ThawError.invalid("Bundle.resourceType", "Bundle", "the body must be a Bundle") }
        guard bundle.type == "transaction" else {
            throw ThawError.invalid("Bundle.type", "transaction", "a referral is sent as a transaction Bundle, not a \(bundle.type)")
        }
        entries = bundle.entry ?? []
        self.now = now
        var v = Validator()
        for (index, entry) in entries.enumerated() {
            if let request = entry.request {
                v.require(request.method == "POST", "Bundle.entry[\(index)].request.method", "POST", "each entry is created by POST")
            } else {
                v.require(false, "Bundle.entry[\(index)].request", "required", "a transaction entry needs its request")
            }
        }
        try v.check(unprocessable: false)
    }

    /// Reads one resource posted alone (`POST /fhir/Patient`): refusals name its elements from
    /// the resource (`Patient.name`), and its references can only name resources Thaw holds.
    init(single resource: IncomingResource, now: Timestamp) {
        entries = [TransactionBundle.Entry(fullUrl: nil, resource: resource, request: nil)]
        self.now = now
        root = resource.typeName
    }

    func path(_ index: Int, _ element: String = "") -> String {
        (root ?? "Bundle.entry[\(index)].resource") + (element.isEmpty ? "" : "." + element)
    }

    /// The one entry of a type the referral needs exactly one of.
    private func single(_ type: String) throws -> Int {
        let found = entries.indices.filter { entries[$0].resource.typeName == type }
        guard found.count == 1 else {
            throw ThawError.unprocessable(
                "Bundle.entry", "one-\(type)", "a referral is one \(type) in the Bundle; found \(found.count)")
        }
        return found[0]
    }

    func resolve(_ reference: Reference?, _ type: FHIRResourceType, at path: String) throws -> Target {
        guard let text = reference?.reference, !text.isEmpty else {
            throw ThawError.unprocessable(path, "required", "\(path) must reference a \(type.rawValue)")
        }
        if let index = entries.firstIndex(where: { $0.fullUrl == text }) {
            guard entries[index].resource.typeName == type.rawValue else {
                throw ThawError.unprocessable(path, "type", "\(path) must reference a \(type.rawValue), not a \(entries[index].resource.typeName)")
            }
            return .entry(index)
        }
        guard let id = reference?.id(of: type) else {
            throw ThawError.unprocessable(path, "type", "\(path) must reference a \(type.rawValue) (\(type.rawValue)/id)")
        }
        if let index = entries.firstIndex(where: { $0.resource.typeName == type.rawValue && $0.resource.id == id }) { return .entry(index) }
        return .held(id)
    }

    func read() throws -> Reading {
        let taskIndex = try single("Task"), requestIndex = try single("ServiceRequest")
        guard case .task(let task) = entries[taskIndex].resource, case .serviceRequest(let request) = entries[requestIndex].resource else {
            throw ThawError.invalid("Bundle.entry", "shape", "the Bundle's Task and ServiceRequest could not be read")
        }
        var roles = [Role?](repeating: nil, count: entries.count)
        roles[taskIndex] = .task
        roles[requestIndex] = .serviceRequest
        var paths: [String: String] = [
            "clientId": path(taskIndex, "for"), "organizationId": path(taskIndex, "owner"),
            "serviceId": path(requestIndex, "performer"), "needCategory": path(requestIndex, "category"),
            "note": path(requestIndex, "note"), "firstResponseDue": path(taskIndex, "restriction.period.end")
        ]
        try checkTask(task, at: taskIndex, focus: requestIndex)
        try checkRequest(request, at: requestIndex)

        // The patient: the Task's `for` and the ServiceRequest's `subject` name the same one.
        let patient = try resolve(task.for, .patient, at: path(taskIndex, "for"))
        guard try resolve(request.subject, .patient, at: path(requestIndex, "subject")) == patient else {
            throw ThawError.unprocessable(path(requestIndex, "subject"), "same-patient", "the ServiceRequest's subject must be the Task's patient")
        }
        let client: ReferralIntake.ClientSource
        switch patient {
        case .held(let id): client = .existing(ID(fhir: id))
        case .entry(let index):
            guard case .patient(let resource) = entries[index].resource else { throw ThawError.invalid(path(index), "Patient", "not a Patient") }
            roles[index] = .patient
            let (described, identifiers) = try describe(resource, at: index)
            for (field, element) in [
                ("givenName", "name.given"), ("familyName", "name.family"), ("birthDate", "birthDate"), ("phone", "telecom"),
                ("email", "telecom"), ("address", "address"), ("preferredLanguage", "communication")
            ] {
                paths[field] = path(index, element)
            }
            client = .described(described, identifiers: identifiers)
        }

        // Who receives it: the Task's owner, the ServiceRequest's performer (an organisation or a service).
        var organizations: [(ID<Organization>, path: String)] = []
        var owner: ID<Organization>?
        if task.owner != nil {
            let id: ID<Organization> = try heldId(task.owner, .organization, at: path(taskIndex, "owner"))
            owner = id
            organizations.append((id, path(taskIndex, "owner")))
        }
        var service: ID<Service>?
        for (n, performer) in (request.performer ?? []).enumerated() {
            let at = path(requestIndex, "performer[\(n)]")
            if performer.id(of: .healthcareService) != nil {
                service = try heldId(performer, .healthcareService, at: at)
            } else {
                let id: ID<Organization> = try heldId(performer, .organization, at: at)
                if let owner, owner != id {
                    throw ThawError.unprocessable(at, "same-owner", "the ServiceRequest's performer must be the Task's owner")
                }
                owner = id
                organizations.append((id, at))
            }
        }

        // The needs it is for, and the consents sent with it.
        var needs: [ReferralIntake.NeedSource] = []
        for (n, reason) in (request.reasonReference ?? []).enumerated() {
            let at = path(requestIndex, "reasonReference[\(n)]")
            paths["needIds[\(needs.count)]"] = at
            switch try resolve(reason, .condition, at: at) {
            case .held(let id): needs.append(.existing(ID(fhir: id)))
            case .entry(let index):
                guard case .condition(let condition) = entries[index].resource else { continue }
                roles[index] = .condition(needs.count)
                needs.append(try need(condition, at: index, patient: patient))
            }
        }
        var consents: [NewConsent] = []
        for index in entries.indices {
            switch entries[index].resource {
            case .consent(let resource):
                roles[index] = .consent(consents.count)
                let (consent, named) = try consent(resource, at: index, patient: patient, owner: owner)
                consents.append(consent)
                organizations += named
            default: continue
            }
        }

        let category = try needCategory(request.category, at: path(requestIndex, "category"))
        let priorityText = request.priority ?? task.priority
        var priority: Priority?
        if let priorityText {
            guard let known = Priority(rawValue: priorityText) else {
                throw ThawError.invalid(path(requestIndex, "priority"), "request-priority", "\(priorityText) is not a request priority")
            }
            priority = known
        }
        let notes = ((request.note ?? []) + (task.note ?? [])).map(\.text).filter { !$0.isEmpty }
        var firstResponseDue: Timestamp?
        if let end = task.restriction?.period?.end {
            firstResponseDue = try timestamp(end, at: path(taskIndex, "restriction.period.end"))
        }
        let sent = task.identifier?.first { ($0.system ?? "").isEmpty == false && ($0.value ?? "").isEmpty == false }
        let intake = ReferralIntake(
            client: client, consents: consents, needs: needs, organizationId: owner, serviceId: service, needCategory: category,
            priority: priority, note: notes.isEmpty ? nil : notes.joined(separator: "\n\n"), firstResponseDue: firstResponseDue,
            senderIdentifier: sent.flatMap { identifier in
                identifier.system.flatMap { system in identifier.value.map { ClientIdentifier(system: system, value: $0) } }
            })
        if let stray = roles.firstIndex(of: nil) {
            throw ThawError.unprocessable(
                path(stray), "referenced",
                "this \(entries[stray].resource.typeName) is not part of the referral: neither the Task nor the ServiceRequest refers to it")
        }
        return Reading(intake: intake, roles: roles.compactMap { $0 }, paths: paths, organizations: organizations)
    }

    /// A reference that must name a resource Thaw holds (an organisation, a service).
    private func heldId<T>(_ reference: Reference?, _ type: FHIRResourceType, at path: String) throws -> ID<T> {
        guard case .held(let id) = try resolve(reference, type, at: path) else {
            throw ThawError.unprocessable(path, "held", "\(path) must name a \(type.rawValue) in Thaw's directory (\(type.rawValue)/id)")
        }
        return ID(fhir: id)
    }

    private func checkTask(_ task: IncomingTask, at index: Int, focus requestIndex: Int) throws {
        var v = Validator()
        v.require(task.status == "requested", path(index, "status"), "requested", "a referral is sent with status requested, not \(task.status)")
        v.require(task.intent == "order", path(index, "intent"), "order", "a referral's Task has intent order")
        if let code = task.code {
            v.require(
                code.code(in: FHIRSystems.taskCode) == "fulfill", path(index, "code"), "fulfill", "a referral's Task has code fulfill")
        }
        try v.check()
        if let requester = task.requester?.reference, requester.contains("Organization/") {
            throw ThawError.unprocessable(
                path(index, "requester"), "caller", "the requester is the caller's own organisation; leave it out or name a PractitionerRole")
        }
        guard try resolve(task.focus, .serviceRequest, at: path(index, "focus")) == .entry(requestIndex) else {
            throw ThawError.unprocessable(path(index, "focus"), "in-bundle", "the Task's focus must be the ServiceRequest in the Bundle")
        }
    }

    private func checkRequest(_ request: IncomingServiceRequest, at index: Int) throws {
        var v = Validator()
        v.require(request.status == "active", path(index, "status"), "active", "a referral's ServiceRequest is active, not \(request.status)")
        v.require(request.intent == "order", path(index, "intent"), "order", "a referral's ServiceRequest has intent order")
        try v.check()
    }

    /// The Patient as a Thaw client: its current name, contacts and address, and its identifiers.
    func describe(_ patient: IncomingPatient, at index: Int) throws -> (NewClient, [ClientIdentifier]) {
        let names = patient.name ?? []
        let current = names.filter { $0.period?.isCurrent ?? true }
        guard let name = current.first(where: { $0.use == "official" || $0.use == "usual" }) ?? current.last ?? names.last else {
            throw ThawError.unprocessable(path(index, "name"), "required", "the Patient needs a name")
        }
        let given = (name.given ?? []).joined(separator: " ")
        var birthDate: CalendarDate?
        if let text = patient.birthDate {
            // A partial date (a year, a year and month) says too little to record as a birth date.
            if text.count == 10 {
                guard let date = CalendarDate(text) else {
                    throw ThawError.invalid(path(index, "birthDate"), "date", "\(text) is not a date")
                }
                birthDate = date
            }
        }
        let telecom = (patient.telecom ?? []).filter { $0.period?.isCurrent ?? true }
        let address = (patient.address ?? []).filter { $0.period?.isCurrent ?? true }.last
        let language = (patient.communication ?? []).first { $0.preferred == true } ?? patient.communication?.first
        let client = NewClient(
            givenName: given.isEmpty ? (name.text ?? "") : given, familyName: name.family ?? "", birthDate: birthDate,
            phone: telecom.first { $0.system == "phone" }?.value, email: telecom.first { $0.system == "email" }?.value,
            address: address?.oneLine, preferredLanguage: language.flatMap { $0.language.coding?.first?.code ?? $0.language.text })
        let identifiers = (patient.identifier ?? []).compactMap { identifier -> ClientIdentifier? in
            guard let system = identifier.system, let value = identifier.value, !system.isEmpty, !value.isEmpty else { return nil }
            return ClientIdentifier(system: system, value: value)
        }
        return (client, identifiers)
    }

    /// A Condition as an identified need: an active one, in a category Thaw knows.
    func need(_ condition: IncomingCondition, at index: Int, patient: Target) throws -> ReferralIntake.NeedSource {
        guard try resolve(condition.subject, .patient, at: path(index, "subject")) == patient else {
            throw ThawError.unprocessable(path(index, "subject"), "same-patient", "the Condition's subject must be the referral's patient")
        }
        if let status = condition.clinicalStatus?.code(in: FHIRSystems.conditionClinical) {
            guard ["active", "recurrence", "relapse"].contains(status) else {
                throw ThawError.unprocessable(path(index, "clinicalStatus"), "active", "a need referred for is active, not \(status)")
            }
        }
        let category = try needCategory(condition.category, at: path(index, "category"))
        let onset = condition.onsetDateTime ?? condition.onsetPeriod?.start ?? condition.recordedDate
        let date = try onset.map { CalendarDate(try timestamp($0, at: path(index, "onset"))) }
        return .identified(category, on: date.map { min($0, CalendarDate(now)) })
    }

    /// A Consent as Thaw records it (see docs/fhir.md): to the organisations its provision names
    /// as actors, or else to the referral's receiver; for the scopes its provision codes name, or
    /// else contact and needs; for referral unless its purpose says care coordination.
    func consent(_ resource: IncomingConsent, at index: Int, patient: Target, owner: ID<Organization>?) throws
        -> (NewConsent, [(ID<Organization>, path: String)])
    {
        guard resource.status == "active" else {
            throw ThawError.unprocessable(path(index, "status"), "active", "a consent sent with a referral is active, not \(resource.status)")
        }
        if resource.provision?.type == "deny" {
            throw ThawError.unprocessable(path(index, "provision.type"), "permit", "a consent that denies cannot carry a referral")
        }
        guard try resolve(resource.patient, .patient, at: path(index, "patient")) == patient else {
            throw ThawError.unprocessable(path(index, "patient"), "same-patient", "the Consent's patient must be the referral's patient")
        }
        var named: [(ID<Organization>, path: String)] = []
        for (n, actor) in (resource.provision?.actor ?? []).enumerated() {
            let at = path(index, "provision.actor[\(n)].reference")
            named.append((try heldId(actor.reference, .organization, at: at), at))
        }
        var grantees = named.map(\.0)
        if grantees.isEmpty, let owner { grantees = [owner] }
        guard grantees.count == 1, let grantee = grantees.first else {
            throw ThawError.unprocessable(
                path(index, "provision.actor"), "one-recipient",
                grantees.isEmpty
                    ? "a consent for an open referral names the organisation it discloses to (provision.actor)"
                    : "Thaw records a consent to one organisation; send one Consent per organisation")
        }
        var scopes: Set<ConsentScope> = []
        for (n, concept) in (resource.provision?.code ?? []).enumerated() {
            guard let code = concept.code(in: FHIRSystems.consentScopeCode) else { continue }
            guard let scope = ConsentScope(rawValue: code) else {
                throw ThawError.invalid(path(index, "provision.code[\(n)]"), "consent-scope", "\(code) is not a scope Thaw knows")
            }
            scopes.insert(scope)
        }
        let purposeCode = resource.provision?.purpose?.first { $0.system == FHIRSystems.consentPurpose }?.code
        var purpose = ConsentPurpose.referral
        if let purposeCode {
            guard let known = ConsentPurpose(rawValue: purposeCode) else {
                throw ThawError.invalid(path(index, "provision.purpose"), "consent-purpose", "\(purposeCode) is not a purpose Thaw knows")
            }
            purpose = known
        }
        let period = resource.provision?.period
        let from = try period?.start.map { try timestamp($0, at: path(index, "provision.period.start")) }
        let until = try period?.end.map { try timestamp($0, at: path(index, "provision.period.end")) }
        let consent = NewConsent(
            grantee: .organization(grantee), scopes: scopes.isEmpty ? [.contact, .needs] : scopes, purpose: purpose,
            validFrom: from.map { max($0, now) }, validUntil: until)
        do {
            try consent.validate(now: now)
        } catch ThawError.unprocessable(let violations) {
            throw ThawError.unprocessable(violations.map { Violation(field: path(index, "provision.period"), rule: $0.rule, message: $0.message) })
        }
        return (consent, named)
    }

    /// The need category a list of concepts names: Thaw's code or the IG's SDOH category.
    private func needCategory(_ concepts: [CodeableConcept]?, at path: String) throws -> NeedCategory {
        for concept in concepts ?? [] {
            for coding in concept.coding ?? [] where coding.system == FHIRSystems.needCategory || coding.system == FHIRSystems.sdohTemporary {
                if let code = coding.code, let category = NeedCategory(fhirCode: code) { return category }
            }
        }
        throw ThawError.unprocessable(
            path, "sdoh-category", "name the need with an SDOH category of the IG (e.g. food-insecurity) or Thaw's need-category system")
    }

    /// A FHIR date or dateTime as an instant (a date alone: its start, UTC).
    private func timestamp(_ text: String, at path: String) throws -> Timestamp {
        if text.count == 10, let day = CalendarDate(text) { return day.startOfDay }
        guard let instant = ISO8601.parse(text) else {
            throw ThawError.invalid(path, "dateTime", "\(text) is not a FHIR date or dateTime with a time zone")
        }
        return instant
    }
}
