import Crypto
import Foundation
import ThawCore
import ZIPFoundation

/// REFI-QDA 1.5 project exchange (`.qdpx`): a zip holding `project.qde` and a `sources` folder
/// with one plain-text file per source, so MAXQDA, NVivo and ATLAS.ti open the partnership's
/// qualitative record with its codebook, its variables and the codings already applied.
///
/// Every GUID is derived from what it stands for (the record's `kind/id`, the code), so the
/// same record has the same GUID in every export, and codings a researcher adds in their tool
/// can be matched back to the record when the project returns (`QDPXImport`).
enum QDPX {
    /// A GUID from a name: the first 128 bits of SHA-256 of it, written 8-4-4-4-12.
    static func guid(_ name: String) -> String {
        let hex = SHA256.hash(data: Data(("thaw-qdpx:" + name).utf8)).prefix(16).map { String(format: "%02X", $0) }.joined()
        let c = Array(hex)
        return [String(c[0..<8]), String(c[8..<12]), String(c[12..<16]), String(c[16..<20]), String(c[20..<32])].joined(separator: "-")
    }
    static let thawUser = guid("user/thaw")
    static func sourceGUID(_ subject: String) -> String { guid("source/" + subject) }
    static func codeGUID(_ code: ResearchCode) -> String { guid("code/" + code.rawValue) }
    static func groupGUID(_ group: String) -> String { guid("code-group/" + group) }
    static func codingGUID(_ subject: String, _ code: ResearchCode) -> String { guid("coding/\(subject)/\(code.rawValue)") }
    static func selectionGUID(_ subject: String) -> String { guid("selection/" + subject) }
    static let variables: [(name: String, type: String)] = [("Date", "Date"), ("Organisations", "Text"), ("Channel", "Text"), ("Kind", "Text")]
    static func variableGUID(_ name: String) -> String { guid("variable/" + name) }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 has no place for other control characters: they are dropped.
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text exactly as written into the source file (what selection positions count in).
    static func plainText(_ source: ResearchSource) -> String {
        String(String.UnicodeScalarView(source.text.unicodeScalars.filter { $0.value >= 0x20 || "\t\n\r".unicodeScalars.contains($0) }))
    }

    static func projectXML(_ sources: [ResearchSource], name: String, at now: Timestamp) -> String {
        let when = now.description
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <Project xmlns="urn:QDA-XML:project:1.0" name="\(escape(name))" origin="Thaw" creatingUserGUID="\(thawUser)" creationDateTime="\(when)">
            <Users><User guid="\(thawUser)" name="Thaw"/></Users>
            <CodeBook><Codes>

            """
        for group in ResearchCode.groups {
            let codes = ResearchCode.allCases.filter { $0.group == group }
            xml += "<Code guid=\"\(groupGUID(group))\" name=\"\(escape(group))\" isCodable=\"false\" color=\"\(codes[0].colour)\">\n"
            for code in codes {
                xml += """
                    <Code guid="\(codeGUID(code))" name="\(escape(code.title))" isCodable="true" color="\(code.colour)"><Description>\(escape(code.meaning))</Description></Code>

                    """
            }
            xml += "</Code>\n"
        }
        xml += "</Codes></CodeBook>\n<Variables>\n"
        for variable in variables {
            xml += "<Variable guid=\"\(variableGUID(variable.name))\" name=\"\(variable.name)\" typeOfVariable=\"\(variable.type)\"/>\n"
        }
        xml += "</Variables>\n<Sources>\n"
        for source in sources {
            let guid = sourceGUID(source.subject), length = plainText(source).unicodeScalars.count
            xml += """
                <TextSource guid="\(guid)" name="\(escape(source.name))" plainTextPath="internal://\(guid).txt" creatingUser="\(thawUser)" creationDateTime="\(source.day.startOfDay.description)">
                <Description>\(escape("thaw:" + source.subject))</Description>

                """
            if !source.codes.isEmpty, length > 0 {
                xml +=
                    "<PlainTextSelection guid=\"\(selectionGUID(source.subject))\" name=\"\(escape(source.name))\" startPosition=\"0\" endPosition=\"\(length)\" creatingUser=\"\(thawUser)\" creationDateTime=\"\(when)\">\n"
                for code in source.codes {
                    xml +=
                        "<Coding guid=\"\(codingGUID(source.subject, code))\" creatingUser=\"\(thawUser)\" creationDateTime=\"\(when)\"><CodeRef targetGUID=\"\(codeGUID(code))\"/></Coding>\n"
                }
                xml += "</PlainTextSelection>\n"
            }
            let values = [
                ("Date", "<DateValue>\(source.day)</DateValue>"),
                ("Organisations", "<TextValue>\(escape(source.organizations.joined(separator: "; ")))</TextValue>"),
                ("Channel", "<TextValue>\(source.channel.rawValue)</TextValue>"), ("Kind", "<TextValue>\(source.kind.rawValue)</TextValue>")
            ]
            for (variable, value) in values {
                xml += "<VariableValue><VariableRef targetGUID=\"\(variableGUID(variable))\"/>\(value)</VariableValue>\n"
            }
            xml += "</TextSource>\n"
        }
        return xml + "</Sources>\n</Project>\n"
    }

    /// The `.qdpx` archive: `project.qde` and `sources/<GUID>.txt`.
    static func archive(_ sources: [ResearchSource], name: String, at now: Timestamp) throws -> Data {
        try zip(
            [("project.qde", Data(projectXML(sources, name: name, at: now).utf8))]
                + sources.map { ("sources/\(sourceGUID($0.subject)).txt", Data(plainText($0).utf8)) })
    }

    /// A zip of the files given, deflated, in memory.
    static func zip(_ files: [(path: String, data: Data)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, data) in files {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        guard let data = archive.data else { throw ThawError.conflict(code: "qdpx", message: "the archive could not be written") }
        return data
    }
}
