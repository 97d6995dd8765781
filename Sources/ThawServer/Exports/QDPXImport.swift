import Foundation
import ThawCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads back a `.qdpx` a researcher exported from their tool: the codings they made on the
/// sources Thaw gave them. Only `project.qde` and the source texts are read (`ZipReader`, every
/// offset checked, each within a size limit counted while inflating: a zip's stated sizes can
/// lie); no external entity is ever resolved.
enum QDPXImport {
    struct Coding: Equatable {
        var sourceGUID: String
        var codingGUID: String
        var code: String
        var start: Int?
        var end: Int?
    }
    struct Project {
        var name: String
        var codings: [Coding]
        /// The text of each source file in the archive, by source GUID.
        var texts: [String: String]
        /// The Thaw record each source says it is (its description, `thaw:<subject>`), by source GUID,
        /// where the GUID is the one Thaw gives that subject.
        var subjects: [String: String] = [:]
    }

    static let largestProjectFile = 32 << 20
    static let largestSourceFile = 1 << 20

    static func read(_ data: Data) throws -> Project {
        let archive = try ZipReader(data)
        guard let projectEntry = archive.entries.first(where: { $0.path.lowercased() == "project.qde" }) else {
            throw ThawError.invalid("file", "qdpx", "the archive holds no project.qde")
        }
        var project = try parse(try archive.extract(projectEntry, limit: largestProjectFile))
        let coded = Set(project.codings.map(\.sourceGUID))
        for entry in archive.entries where entry.path.lowercased().hasPrefix("sources/") && entry.path.lowercased().hasSuffix(".txt") {
            let guid = String(entry.path.dropFirst("sources/".count).dropLast(4)).uppercased()
            guard coded.contains(guid), let text = try? archive.extract(entry, limit: largestSourceFile) else { continue }
            project.texts[guid] = String(decoding: text, as: UTF8.self)
        }
        return project
    }

    static func parse(_ xml: Data) throws -> Project {
        let parser = XMLParser(data: xml)
        parser.shouldResolveExternalEntities = false
        let reader = Reader()
        parser.delegate = reader
        guard parser.parse(), parser.parserError == nil, reader.projectClosed else {
            throw ThawError.invalid("file", "qdpx", "project.qde is not well-formed XML")
        }
        guard reader.sawProject else { throw ThawError.invalid("file", "qdpx", "project.qde holds no REFI-QDA Project") }
        let codings = reader.codings.compactMap { raw -> Coding? in
            guard let name = reader.codeNames[raw.codeGUID] else { return nil }
            return Coding(sourceGUID: raw.sourceGUID, codingGUID: raw.codingGUID, code: name, start: raw.start, end: raw.end)
        }
        var subjects: [String: String] = [:]
        for (guid, description) in reader.descriptions where description.hasPrefix("thaw:") {
            let subject = String(description.dropFirst("thaw:".count))
            if QDPX.sourceGUID(subject) == guid { subjects[guid] = subject }
        }
        return Project(name: reader.projectName, codings: codings, texts: [:], subjects: subjects)
    }

    /// Walks the project's elements: the codebook's codes (nested), and each coding with the
    /// source and selection it sits in.
    final class Reader: NSObject, XMLParserDelegate {
        struct RawCoding { var sourceGUID: String; var codingGUID: String; var codeGUID: String; var start: Int?; var end: Int? }
        var sawProject = false
        var projectClosed = false
        var projectName = ""
        var codeNames: [String: String] = [:]
        var codings: [RawCoding] = []
        /// Each source's own description, by source GUID.
        var descriptions: [String: String] = [:]
        private var source: String?
        /// The text of the source's description while it is being read.
        private var sourceDescription: String?
        private var selection: (start: Int, end: Int)?
        private var coding: String?

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let guid = attributes["guid"]?.uppercased().trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
            switch element {
            case "Project":
                sawProject = true
                projectName = String((attributes["name"] ?? "").prefix(200))
            case "Code": if let guid, let name = attributes["name"] { codeNames[guid] = String(name.prefix(200)) }
            case "TextSource": source = guid
            case "PlainTextSelection":
                if let start = attributes["startPosition"].flatMap(Int.init), let end = attributes["endPosition"].flatMap(Int.init), start >= 0,
                    end >= start
                {
                    selection = (start, end)
                }
            case "Coding": coding = guid
            case "Description" where source != nil && selection == nil: sourceDescription = ""
            case "CodeRef":
                if let source, let coding,
                    let target = attributes["targetGUID"]?.uppercased().trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
                {
                    codings.append(RawCoding(sourceGUID: source, codingGUID: coding, codeGUID: target, start: selection?.start, end: selection?.end))
                }
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            switch element {
            case "Project": projectClosed = true
            case "TextSource": source = nil
            case "Description":
                if let source, let text = sourceDescription { descriptions[source] = text }
                sourceDescription = nil
            case "PlainTextSelection": selection = nil
            case "Coding": coding = nil
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            // A subject is short; a description longer than any is not Thaw's and is not kept whole.
            if let text = sourceDescription, text.utf8.count < 1_000 { sourceDescription = text + string }
        }
    }
}
