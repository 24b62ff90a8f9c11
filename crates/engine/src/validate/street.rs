//! Street-type vocabulary: USPS Publication 28 (Appendix C1) suffixes and their abbreviations, secondary unit
//! designators (C2), and the street words of other countries (German, Dutch, Nordic, French, Spanish, Italian,
//! Portuguese, Polish, Czech, Turkish, Finnish, UK forms).
//!
//! Used to confirm an address found in prose, where no field name says "address". It never decides alone: the
//! rule also needs a context phrase and the `address` shape (a number, letters, several words).

/// Whole words (lower-case). Suffixes that are common words in log messages (`port`, `key`, `run`, `path`, `pass`,
/// `rest`, `track`, `lock`, `union`, `ramp`, `light`) are left out: a prose address still has its other words.
const WORDS: &[&str] = &[
    // USPS Publication 28, C1: primary street suffixes and common abbreviations
    "alley", "aly", "annex", "anx", "arcade", "arc", "avenue", "ave", "av", "bayou", "beach", "bch", "bend",
    "bluff", "blf", "bottom", "boulevard", "blvd", "branch", "br", "bridge", "brg", "brook", "brk", "burg",
    "bypass", "byp", "camp", "canyon", "cyn", "cape", "causeway", "cswy", "center", "centre", "ctr", "circle",
    "cir", "cliff", "clf", "club", "clb", "common", "corner", "cor", "course", "crse", "court", "ct", "cove",
    "cv", "creek", "crk", "crescent", "cres", "crest", "crossing", "xing", "curve", "dale", "dl", "dam", "divide",
    "drive", "dr", "drives", "estate", "estates", "est", "expressway", "expy", "extension", "extensions", "ext",
    "fall", "falls", "ferry", "fry", "field", "fields", "fld", "flat", "flats", "ford", "forest", "forge",
    "fork", "forks", "fort", "ft", "freeway", "fwy", "garden", "gardens", "gdns", "gateway", "gtwy", "glen",
    "green", "grn", "grove", "grv", "harbor", "harbour", "hbr", "haven", "heights", "hts", "highway", "hwy",
    "hill", "hills", "hl", "hollow", "holw", "inlet", "island", "islands", "isle", "junction", "jct", 
    "knoll", "knolls", "lake", "lakes", "land", "landing", "lndg", "lane", "ln", "loaf",
    "lodge", "loop", "mall", "manor", "manors", "meadow", "meadows", "mdws", "mews", "mill",
    "mills", "mission", "motorway", "mount", "mt", "mountain", "mountains", "mtn", "neck", "orchard", "oval",
    "overpass", "park", "parks", "parkway", "pkwy", "passage", "pike", "pine", "pines", "place",
    "pl", "plain", "plains", "plaza", "plz", "point", "points", "pt", "prairie", "radial",
    "ranch", "rapid", "rapids", "ridge", "ridges", "rdg", "river", "riv", "road", "roads", "rd",
    "route", "rte", "row", "rue", "shoal", "shoals", "shore", "shores", "skyway", "spring", "springs",
    "spur", "square", "sq", "station", "sta", "stravenue", "stream", "street", "streets", "st", "str", "summit",
    "terrace", "ter", "throughway", "trace", "trafficway", "trail", "trl", "trailer", "tunnel",
    "turnpike", "tpke", "underpass", "valley", "vly", "viaduct", "view", "views", "village", "vlg",
    "ville", "vista", "walk", "wall", "way", "well", "wells",
    // C2: secondary unit designators
    "apartment", "apt", "building", "bldg", "floor", "fl", "suite", "ste", "unit", "room", "rm", "dept",
    // UK and Ireland
    "close", "rise", "wynd", "parade", "esplanade", "drove", "yard", "gate", "quay", "broadway", "embankment",
    // French, Spanish, Italian, Portuguese
    "rue", "avenue", "boulevard", "bd", "chemin", "allée", "impasse", "quai", "cours", "calle", "c/", "avenida",
    "avda", "paseo", "camino", "carrera", "ronda", "travesía", "glorieta", "rúa", "carrer", "via", "viale",
    "piazza", "corso", "vicolo", "largo", "strada", "contrada", "borgo", "rua", "travessa", "praça", "alameda",
    "estrada", "rodovia", "appartamento", "piso", "andar",
    // German, Dutch, Nordic (as separate words)
    "straße", "strasse", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "chaussee", "steig",
    "straat", "laan", "plein", "gracht", "kade", "singel", "dijk", "gata", "gatan", "vej", "gade", "veien",
    "vei", "vägen", "väg", "torv",
    // Polish, Czech, Turkish, Finnish, Russian
    "ul", "ulica", "aleja", "al", "plac", "os", "ulice", "náměstí", "nám", "třída", "sokak", "sok", "sokağı",
    "cadde", "caddesi", "cad", "bulvar", "bulvarı", "mahallesi", "mah", "katu", "tie", "kuja", "polku",
    "улица", "ул", "проспект", "пр", "переулок", "пер", "шоссе",
];

/// Endings of compound street names (`Hauptstraße`, `Kerkstraat`, `Storgatan`, `Kyrkovägen`, `Mannerheimintie`).
const ENDINGS: &[&str] = &[
    "straße", "strasse", "str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "steig", "pfad",
    "markt", "straat", "laan", "plein", "gracht", "kade", "singel", "dijk", "gatan", "gata", "vägen", "väg",
    "vej", "gade", "veien", "vegen", "gate", "katu", "tie", "kuja", "polku", "torget", "torv", "vænget",
];

/// Does the text hold a street-type word, or a word ending like a compound street name?
pub(super) fn has_street_word(s: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(s) else {
        return false;
    };
    text.split(|c: char| c == ' ' || c == ',' || c == '\t')
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .any(|w| {
            WORDS.contains(&w.as_str())
                || (w.chars().count() >= 6 && ENDINGS.iter().any(|e| w.ends_with(e)))
        })
}

#[cfg(test)]
mod tests {
    use super::has_street_word;

    #[test]
    fn street_words() {
        assert!(has_street_word(b"1600 Amphitheatre Pkwy"));
        assert!(has_street_word("Hauptstraße 12/3".as_bytes()));
        assert!(has_street_word(b"Flat 4, 10 High Street"));
        assert!(has_street_word("Kyrkovägen 814".as_bytes()));
        assert!(!has_street_word(b"0.0.0.0 port 8080"));
        assert!(!has_street_word(b"Jane Roe 42"));
    }
}
