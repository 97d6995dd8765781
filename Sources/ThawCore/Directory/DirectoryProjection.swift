/// Thaw's service fields (what a referral names and the directory search filters on) and the
/// HSDS records that hold them, both ways: a service made in Thaw is written to the directory as
/// HSDS records; a service imported from HSDS is read for the fields Thaw keeps beside it.
public enum DirectoryProjection {
    /// What Thaw keeps of a directory service for referrals and filters: a service's own fields.
    public typealias Fields = NewService

    /// The fields of an HSDS service, from its record and the records linking to it (languages,
    /// service areas, attributes). A service not active is closed, whatever its capacity says.
    public static func fields(of service: HSDSRecord, linked: [HSDSRecord]) -> Fields {
        let attributes = linked.filter { $0.entity == "attribute" }
        let needs = NeedCategory.allCases.filter { need in
            attributes.contains { $0["taxonomy_term_id"] == DirectoryVocabulary.needTermId(need) }
        }
        let stated = attributes.compactMap { $0["taxonomy_term_id"].flatMap(DirectoryVocabulary.capacity(termId:)) }.first
        let active = (service["status"] ?? "active") == "active"
        let languages = linked.filter { $0.entity == "language" }.sorted { $0.id < $1.id }
            .compactMap { ($0["code"] ?? $0["name"])?.lowercased() }
        let areas = linked.filter { $0.entity == "service_area" }.sorted { $0.id < $1.id }.compactMap { $0["name"] ?? $0["description"] }
        return Fields(
            name: service["name"] ?? "", description: service["description"] ?? "", needCategories: needs,
            eligibility: service["eligibility_description"] ?? "", areaServed: areas.joined(separator: "; "),
            languages: firstOfEach(languages), capacity: active ? (stated ?? .accepting) : .closed)
    }

    /// A Thaw service as HSDS records: the service, a language per language, its area served, and
    /// attributes for its needs and capacity. Ids of the derived records come from the service's,
    /// so writing the same service again writes the same records.
    public static func records(_ fields: Fields, hsdsId: String, organizationHsdsId: String, lastModified: Timestamp) -> [HSDSRecord] {
        var records = [
            HSDSRecord(
                entity: "service", id: hsdsId,
                fields: [
                    "organization_id": .text(organizationHsdsId), "name": .text(fields.name), "status": .text("active"),
                    "last_modified": .text(lastModified.description)
                ].merging(
                    [("description", fields.description), ("eligibility_description", fields.eligibility)].filter { !$0.1.isEmpty }.map {
                        ($0.0, HSDSRecord.Value.text($0.1))
                    }
                ) { a, _ in a })
        ]
        for language in fields.languages {
            records.append(
                HSDSRecord(
                    entity: "language", id: DerivedUUID.make(hsdsId + "/language/" + language),
                    fields: ["service_id": .text(hsdsId), "code": .text(language)]))
        }
        if !fields.areaServed.isEmpty {
            records.append(
                HSDSRecord(
                    entity: "service_area", id: DerivedUUID.make(hsdsId + "/area"),
                    fields: ["service_id": .text(hsdsId), "name": .text(fields.areaServed)]))
        }
        func attribute(_ term: String, _ key: String) -> HSDSRecord {
            HSDSRecord(
                entity: "attribute", id: DerivedUUID.make(hsdsId + "/" + key),
                fields: [
                    "link_id": .text(hsdsId), "link_type": .text("service"), "link_entity": .text("service"), "taxonomy_term_id": .text(term)
                ])
        }
        for need in fields.needCategories { records.append(attribute(DirectoryVocabulary.needTermId(need), "need/" + need.rawValue)) }
        records.append(attribute(DirectoryVocabulary.capacityTermId(fields.capacity), "capacity"))
        return records
    }
}

/// The items in their first order, each once.
private func firstOfEach(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
