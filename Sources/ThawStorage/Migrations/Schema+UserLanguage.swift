extension Schema {
    /// The language each person reads Thaw in; none yet means English.
    static let v42UserLanguage = Migration(
        version: 42, name: "users' language",
        sql: ["ALTER TABLE users ADD COLUMN language TEXT"])
}
