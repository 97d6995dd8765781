/// Open Referral HSDS 3.0 as Thaw reads and writes it: each entity's table in the tabular data
/// package, its fields (the CSV columns, in order) with the type and format the standard gives
/// them, the fields it requires, and the entities nested in its `*_full` JSON shape with the
/// field that links them. Import, export, the HSDS API and validation are all driven by this one
/// description, so the three shapes cannot drift apart.
public enum HSDS {
    public enum FieldType: String, Sendable {
        case string, number
    }

    public enum Format: String, Sendable {
        case uuid, uri, email, dateTime = "date-time"
    }

    public struct Field: Sendable {
        public var name: String
        public var type: FieldType
        public var format: Format?
        public var allowed: [String]?

        init(_ name: String, _ type: FieldType = .string, _ format: Format? = nil, allowed: [String]? = nil) {
            self.name = name; self.type = type; self.format = format; self.allowed = allowed
        }
    }

    /// An entity nested in another's JSON: an array of children that name the parent in
    /// `foreignKey`, or (`single`) one record the parent names in its own `foreignKey` field.
    public struct Nested: Sendable {
        public var property: String
        public var entity: String
        public var foreignKey: String
        public var single: Bool

        init(_ property: String, _ entity: String, by foreignKey: String, single: Bool = false) {
            self.property = property; self.entity = entity; self.foreignKey = foreignKey; self.single = single
        }
    }

    public struct Entity: Sendable {
        public var name: String
        /// The table's file in the data package.
        public var file: String
        public var fields: [Field]
        /// Required in every shape.
        public var required: [String]
        /// Required in the tabular shape too, where nesting cannot supply the link.
        public var tabularRequired: [String]
        public var nested: [Nested]

        public func field(_ name: String) -> Field? { fields.first { $0.name == name } }
        /// Fields naming another record (`*_id` with a UUID format), which import checks exist.
        public var links: [Field] { fields.filter { $0.name != "id" && $0.format == .uuid } }
    }

    public static func entity(_ name: String) -> Entity? { byName[name] }
    public static func entity(file: String) -> Entity? { entities.first { $0.file == file } }

    private static let byName = Dictionary(uniqueKeysWithValues: entities.map { ($0.name, $0) })

    /// Every record may carry attributes (taxonomy terms linked to it) and metadata (its change history).
    private static let annotations = [
        Nested("attributes", "attribute", by: "link_id"), Nested("metadata", "metadata", by: "resource_id")
    ]

    private static func id() -> Field { Field("id", .string, .uuid) }
    private static func link(_ name: String) -> Field { Field(name, .string, .uuid) }
    private static func text(_ names: String...) -> [Field] { names.map { Field($0) } }

    /// In the order a data package is imported: what a record links to comes before it.
    public static let entities: [Entity] = [
        Entity(
            name: "taxonomy", file: "taxonomies.csv", fields: [id()] + text("name", "description") + [Field("uri", .string, .uri)] + text("version"),
            required: ["id", "name", "description"], tabularRequired: [], nested: [Nested("metadata", "metadata", by: "resource_id")]),
        Entity(
            name: "taxonomy_term", file: "taxonomy_terms.csv",
            fields: [id()] + text("code", "name", "description") + [link("parent_id")] + text("taxonomy", "language")
                + [link("taxonomy_id"), Field("term_uri", .string, .uri)],
            required: ["id", "name", "description"], tabularRequired: [],
            nested: [Nested("taxonomy_detail", "taxonomy", by: "taxonomy_id", single: true), Nested("metadata", "metadata", by: "resource_id")]),
        Entity(
            name: "organization", file: "organizations.csv",
            fields: [id()] + text("name", "alternate_name", "description") + [Field("email", .string, .email), Field("website", .string, .uri)]
                + text("tax_status", "tax_id") + [Field("year_incorporated", .number)] + text("legal_status", "logo")
                + [Field("uri", .string, .uri), link("parent_organization_id")],
            required: ["id", "name", "description"], tabularRequired: [],
            nested: [
                Nested("funding", "funding", by: "organization_id"), Nested("contacts", "contact", by: "organization_id"),
                Nested("phones", "phone", by: "organization_id"), Nested("locations", "location", by: "organization_id"),
                Nested("programs", "program", by: "organization_id"),
                Nested("organization_identifiers", "organization_identifier", by: "organization_id"),
                Nested("services", "service", by: "organization_id")
            ] + annotations),
        Entity(
            name: "organization_identifier", file: "organization_identifiers.csv",
            fields: [id(), link("organization_id")] + text("identifier_scheme", "identifier_type", "identifier"),
            required: ["id", "identifier_type", "identifier"], tabularRequired: ["organization_id"], nested: annotations),
        Entity(
            name: "program", file: "programs.csv", fields: [id(), link("organization_id")] + text("name", "alternate_name", "description"),
            required: ["id", "name", "description"], tabularRequired: ["organization_id"], nested: annotations),
        Entity(
            name: "service", file: "services.csv",
            fields: [id(), link("organization_id"), link("program_id")] + text("name", "alternate_name", "description")
                + [
                    Field("url", .string, .uri), Field("email", .string, .email),
                    Field("status", allowed: ["active", "inactive", "defunct", "temporarily closed"])
                ]
                + text(
                    "interpretation_services", "application_process", "fees_description", "wait_time", "fees", "accreditations",
                    "eligibility_description")
                + [Field("minimum_age", .number), Field("maximum_age", .number), Field("assured_date")]
                + [Field("assurer_email", .string, .email)] + text("licenses", "alert") + [Field("last_modified", .string, .dateTime)],
            required: ["id", "name", "status"], tabularRequired: ["organization_id"],
            nested: [
                Nested("phones", "phone", by: "service_id"), Nested("schedules", "schedule", by: "service_id"),
                Nested("service_areas", "service_area", by: "service_id"), Nested("service_at_locations", "service_at_location", by: "service_id"),
                Nested("languages", "language", by: "service_id"), Nested("organization", "organization", by: "organization_id", single: true),
                Nested("funding", "funding", by: "service_id"), Nested("cost_options", "cost_option", by: "service_id"),
                Nested("program", "program", by: "program_id", single: true), Nested("required_documents", "required_document", by: "service_id"),
                Nested("contacts", "contact", by: "service_id")
            ] + annotations),
        Entity(
            name: "location", file: "locations.csv",
            fields: [id(), Field("location_type", allowed: ["physical", "postal", "virtual"]), Field("url", .string, .uri), link("organization_id")]
                + text("name", "alternate_name", "description", "transportation") + [Field("latitude", .number), Field("longitude", .number)]
                + text("external_identifier", "external_identifier_type"),
            required: ["id", "location_type"], tabularRequired: [],
            nested: [
                Nested("languages", "language", by: "location_id"), Nested("addresses", "address", by: "location_id"),
                Nested("contacts", "contact", by: "location_id"), Nested("accessibility", "accessibility", by: "location_id"),
                Nested("phones", "phone", by: "location_id"), Nested("schedules", "schedule", by: "location_id")
            ] + annotations),
        Entity(
            name: "service_at_location", file: "service_at_location.csv",
            fields: [id(), link("service_id"), link("location_id")] + text("description"),
            required: ["id"], tabularRequired: ["service_id", "location_id"],
            nested: [
                Nested("contacts", "contact", by: "service_at_location_id"), Nested("phones", "phone", by: "service_at_location_id"),
                Nested("schedules", "schedule", by: "service_at_location_id"), Nested("location", "location", by: "location_id", single: true),
                Nested("service", "service", by: "service_id", single: true)
            ] + annotations),
        Entity(
            name: "address", file: "addresses.csv",
            fields: [id(), link("location_id")]
                + text("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country")
                + [Field("address_type", allowed: ["physical", "postal", "virtual"])],
            required: ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"], tabularRequired: [],
            nested: annotations),
        Entity(
            name: "contact", file: "contacts.csv",
            fields: [id(), link("organization_id"), link("service_id"), link("service_at_location_id"), link("location_id")]
                + text("name", "title", "department") + [Field("email", .string, .email)],
            required: ["id"], tabularRequired: [], nested: [Nested("phones", "phone", by: "contact_id")] + annotations),
        Entity(
            name: "phone", file: "phones.csv",
            fields: [id(), link("location_id"), link("service_id"), link("organization_id"), link("contact_id"), link("service_at_location_id")]
                + text("number") + [Field("extension", .number)] + text("type", "description"),
            required: ["id", "number"], tabularRequired: [], nested: [Nested("languages", "language", by: "phone_id")] + annotations),
        Entity(
            name: "schedule", file: "schedules.csv",
            fields: [id(), link("service_id"), link("location_id"), link("service_at_location_id")]
                + text("valid_from", "valid_to", "dtstart") + [Field("timezone", .number)] + text("until") + [Field("count", .number)]
                + [
                    Field("wkst", allowed: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
                    Field("freq", allowed: ["WEEKLY", "MONTHLY"]), Field("interval", .number)
                ]
                + text("byday", "byweekno", "bymonthday", "byyearday", "description")
                + text("opens_at", "closes_at") + [Field("schedule_link", .string, .uri)]
                + text("attending_type", "notes"),
            required: ["id"], tabularRequired: [], nested: annotations),
        Entity(
            name: "service_area", file: "service_areas.csv",
            fields: [id(), link("service_id")] + text("name", "description", "extent", "extent_type", "uri"),
            required: ["id"], tabularRequired: [], nested: annotations),
        Entity(
            name: "language", file: "languages.csv",
            fields: [id(), link("service_id"), link("location_id"), link("phone_id")] + text("name", "code", "note"),
            required: ["id"], tabularRequired: [], nested: annotations),
        Entity(
            name: "funding", file: "funding.csv", fields: [id(), link("organization_id"), link("service_id")] + text("source"),
            required: ["id"], tabularRequired: [], nested: annotations),
        Entity(
            name: "cost_option", file: "cost_options.csv",
            fields: [id(), link("service_id")] + text("valid_from", "valid_to", "option", "currency") + [Field("amount", .number)]
                + text("amount_description"),
            required: ["id"], tabularRequired: ["service_id"], nested: annotations),
        Entity(
            name: "required_document", file: "required_documents.csv",
            fields: [id(), link("service_id")] + text("document") + [Field("uri", .string, .uri)],
            required: ["id"], tabularRequired: [], nested: annotations),
        Entity(
            name: "accessibility", file: "accessibility.csv",
            fields: [id(), link("location_id")] + text("description", "details") + [Field("url", .string, .uri)],
            required: ["id"], tabularRequired: [], nested: annotations),
        Entity(
            name: "attribute", file: "attributes.csv",
            fields: [id(), link("link_id"), link("taxonomy_term_id")] + text("link_type", "link_entity", "value"),
            required: ["id"], tabularRequired: ["link_id", "taxonomy_term_id", "link_entity"],
            nested: [
                Nested("taxonomy_term", "taxonomy_term", by: "taxonomy_term_id", single: true), Nested("metadata", "metadata", by: "resource_id")
            ]),
        Entity(
            name: "metadata", file: "metadata.csv",
            fields: [id(), link("resource_id")]
                + text("resource_type", "last_action_date", "last_action_type", "field_name", "previous_value", "replacement_value", "updated_by"),
            required: ["id", "last_action_date", "last_action_type", "field_name", "previous_value", "replacement_value", "updated_by"],
            tabularRequired: ["resource_id", "resource_type"], nested: []),
        Entity(
            name: "meta_table_description", file: "meta_table_descriptions.csv", fields: [id()] + text("name", "language", "character_set"),
            required: ["id"], tabularRequired: [], nested: annotations)
    ]
}
