/// The time zone an organisation keeps its hours in, when it does not say: read from its area as
/// people write it ("Edmonton", "Calgary, AB", "Ontario", "Ottawa–Carleton"). Canada's provinces and
/// territories, their two-letter codes and their larger cities; nil when nothing in the area names
/// one (the network's own zone then applies).
public enum AreaTimeZones {
    public static func zone(forArea area: String?) -> String? {
        guard let area else { return nil }
        let words = area.lowercased().split { !$0.isLetter }.map(String.init)
        let text = " " + words.joined(separator: " ") + " "
        // Names of more than one word first ("new brunswick" before a lone "brunswick"), then single words.
        for (name, zone) in places where name.contains(" ") && text.contains(" " + name + " ") { return zone }
        for word in words { if let zone = singleWords[word] { return zone } }
        return nil
    }

    /// Places, lower case, with their zones. Saskatchewan keeps Central Standard Time all year
    /// (America/Regina); north-western Ontario around Thunder Bay is Eastern, Kenora Central.
    static let places: [(String, String)] = [
        ("british columbia", "America/Vancouver"), ("bc", "America/Vancouver"), ("vancouver", "America/Vancouver"),
        ("victoria", "America/Vancouver"), ("kelowna", "America/Vancouver"), ("surrey", "America/Vancouver"),
        ("alberta", "America/Edmonton"), ("ab", "America/Edmonton"), ("edmonton", "America/Edmonton"), ("calgary", "America/Edmonton"),
        ("red deer", "America/Edmonton"), ("lethbridge", "America/Edmonton"), ("grande prairie", "America/Edmonton"),
        ("saskatchewan", "America/Regina"), ("sk", "America/Regina"), ("regina", "America/Regina"), ("saskatoon", "America/Regina"),
        ("manitoba", "America/Winnipeg"), ("mb", "America/Winnipeg"), ("winnipeg", "America/Winnipeg"), ("brandon", "America/Winnipeg"),
        ("kenora", "America/Winnipeg"),
        ("ontario", "America/Toronto"), ("on", "America/Toronto"), ("toronto", "America/Toronto"), ("ottawa", "America/Toronto"),
        ("hamilton", "America/Toronto"), ("london", "America/Toronto"), ("kingston", "America/Toronto"), ("sudbury", "America/Toronto"),
        ("thunder bay", "America/Toronto"), ("windsor", "America/Toronto"), ("mississauga", "America/Toronto"),
        ("brampton", "America/Toronto"), ("waterloo", "America/Toronto"), ("kitchener", "America/Toronto"),
        ("quebec", "America/Toronto"), ("québec", "America/Toronto"), ("qc", "America/Toronto"), ("montreal", "America/Toronto"),
        ("montréal", "America/Toronto"), ("gatineau", "America/Toronto"), ("sherbrooke", "America/Toronto"),
        ("new brunswick", "America/Moncton"), ("nouveau brunswick", "America/Moncton"), ("nb", "America/Moncton"),
        ("moncton", "America/Moncton"), ("fredericton", "America/Moncton"), ("saint john", "America/Moncton"),
        ("nova scotia", "America/Halifax"), ("nouvelle écosse", "America/Halifax"), ("ns", "America/Halifax"),
        ("halifax", "America/Halifax"), ("prince edward island", "America/Halifax"), ("pei", "America/Halifax"),
        ("pe", "America/Halifax"), ("charlottetown", "America/Halifax"),
        ("newfoundland", "America/St_Johns"), ("labrador", "America/Goose_Bay"), ("nl", "America/St_Johns"),
        ("st john s", "America/St_Johns"), ("yukon", "America/Whitehorse"), ("yt", "America/Whitehorse"),
        ("whitehorse", "America/Whitehorse"), ("northwest territories", "America/Edmonton"), ("nt", "America/Edmonton"),
        ("yellowknife", "America/Edmonton"), ("nunavut", "America/Iqaluit"), ("nu", "America/Iqaluit"), ("iqaluit", "America/Iqaluit")
    ]

    /// Every zone an area can name, west to east: the choices offered where an organisation is added.
    public static let zones: [String] = [
        "America/Vancouver", "America/Whitehorse", "America/Edmonton", "America/Regina", "America/Winnipeg", "America/Toronto",
        "America/Iqaluit", "America/Moncton", "America/Halifax", "America/Goose_Bay", "America/St_Johns"
    ]

    static let singleWords: [String: String] = {
        var out: [String: String] = [:]
        for (name, zone) in places where !name.contains(" ") && out[name] == nil { out[name] = zone }
        return out
    }()
}
