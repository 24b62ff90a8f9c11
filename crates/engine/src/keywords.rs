//! Every occurrence of every keyword, ASCII case-insensitive: the keyword half of the prefilter.
//!
//! The default pack has about 1,450 keywords (field names, context words, provider prefixes). An Aho-Corasick DFA
//! over that many case-insensitive literals is about 8.6 MB: each byte of the log costs a dependent load from a
//! table that does not fit the caches, and building it costs tens of milliseconds at start-up. This searcher
//! instead gives each keyword one *anchor*, the rarest three bytes of it, and walks the text once with a rolling
//! three-byte code: a 32 KB bit set says whether any anchor sits at this position, and only where one does are the
//! keywords of that anchor compared with the text. Lookups do not depend on each other, the tables stay in the
//! first cache levels, and building takes microseconds.
//!
//! What it reports is exactly what an overlapping Aho-Corasick search reports: `(keyword, end offset)` for every
//! occurrence of every keyword, overlapping ones included, ASCII letters matched without regard to case and every
//! other byte as it is. The anchors only decide where to look; the comparison decides what is reported, so a
//! poor choice of anchor costs time, never a match (the unit tests compare both searches).
//!
//! It must never report less than every occurrence: the prefilter's callers skip lines without a report.

/// Bits of one byte's class in the rolling code (so a three-byte code has 18 bits).
const BITS: u32 = 6;
/// Mask of a three-byte code.
const MASK: usize = (1 << (3 * BITS)) - 1;

/// A keyword to compare where its anchor is found.
#[derive(Debug, Clone)]
struct Entry {
    /// The caller's index of the keyword.
    id: u32,
    /// Where the anchor starts inside the keyword.
    offset: u32,
    /// Its first (up to) eight bytes, ASCII lower-cased, little-endian, and the mask of those bytes: most places
    /// compared are rejected by one eight-byte comparison.
    head: u64,
    mask: u64,
    /// The keyword, ASCII lower-cased.
    word: Box<[u8]>,
}

/// ASCII lower-case of eight bytes at once (other bytes unchanged).
fn lower8(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = x & !HIGH;
    // High bit of each byte: at least `A` (0x41), and above `Z` (0x5A), among bytes under 0x80.
    let from_a = low7.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
    let past_z = low7.wrapping_add(0x2525_2525_2525_2525);
    let upper = from_a & !past_z & !x & HIGH;
    x | (upper >> 2)
}

/// A compiled keyword searcher. Immutable, `Send + Sync`; a search needs no scratch space but the output vector.
#[derive(Debug, Clone)]
pub(crate) struct KeywordSearch {
    /// The class of each byte (case folded), `0..64`.
    class: [u8; 256],
    /// One bit per three-byte code: whether some anchor has that code.
    present: Box<[u64]>,
    /// Per word of `present`, how many codes are present in the words before it: a present code's rank is its
    /// index into `starts`.
    rank: Box<[u32]>,
    /// Where the entries of the code of each rank start in `entries` (one more at the end).
    starts: Box<[u32]>,
    /// The keywords, grouped by anchor code.
    entries: Box<[Entry]>,
    /// See [`KeywordSearch::line_ordered`].
    line_ordered: bool,
}

/// How often each three-byte code occurs in some text: what [`KeywordSearch::tuned_on`] picks anchors by.
#[derive(Debug, Clone)]
pub(crate) struct CodeCounts {
    seen: Vec<u32>,
    /// Bytes counted so far.
    pub bytes: usize,
}

impl Default for CodeCounts {
    fn default() -> Self {
        CodeCounts {
            seen: vec![0; MASK + 1],
            bytes: 0,
        }
    }
}

impl CodeCounts {
    /// Counts the codes of `text`.
    pub fn count(&mut self, text: &[u8]) {
        let class = classes();
        let mut code = 0usize;
        for &b in text {
            code = ((code << BITS) | class[b as usize] as usize) & MASK;
            self.seen[code] = self.seen[code].saturating_add(1);
        }
        self.bytes += text.len();
    }
}

/// The class of a byte: letters (either case) 1-26, digits 27-36, common punctuation its own class, white space 0,
/// every other byte 63. Bytes of one class share anchors; the comparison tells them apart.
fn byte_class(b: u8) -> u8 {
    // At most 26 of them: classes 37-62.
    const PUNCT: &[u8] = b"_-.:/=@#\"',;+()[]{}<>?!&%";
    let l = b.to_ascii_lowercase();
    match l {
        b'a'..=b'z' => l - b'a' + 1,
        b'0'..=b'9' => l - b'0' + 27,
        b' ' | b'\t' | b'\r' | b'\n' => 0,
        _ => match PUNCT.iter().position(|&p| p == l) {
            Some(i) => 37 + i as u8,
            None => 63,
        },
    }
}

/// The class of every byte.
fn classes() -> [u8; 256] {
    let mut class = [0u8; 256];
    for (b, c) in class.iter_mut().enumerate() {
        *c = byte_class(b as u8);
    }
    class
}

/// A rough frequency (per mille of bytes) of each byte class in log text, to pick each keyword's rarest anchor.
/// Only speed depends on it.
fn class_weight(b: u8) -> f64 {
    match b.to_ascii_lowercase() {
        b' ' | b'\t' => 150.0,
        b'e' => 60.0,
        b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 40.0,
        b'h' | b'l' | b'd' | b'c' | b'u' => 22.0,
        b'0'..=b'9' => 20.0,
        b'm' | b'f' | b'p' | b'g' => 14.0,
        b'.' | b':' => 15.0,
        b'-' | b'/' => 10.0,
        b'w' | b'y' | b'b' | b'"' | b'=' | b',' => 8.0,
        b'v' | b'k' | b'_' | b'[' | b']' => 5.0,
        b'x' | b'j' | b'q' | b'z' => 1.5,
        0x80.. => 1.0,
        _ => 2.0,
    }
}

impl KeywordSearch {
    /// Builds a searcher for `words` (keyword `i` is reported as `i`), anchors chosen by a fixed estimate of
    /// byte frequencies in log text. Empty words are never reported.
    pub fn new<W: AsRef<[u8]>>(words: &[W]) -> KeywordSearch {
        Self::build(words, &|gram: [u8; 3]| {
            gram.iter().map(|&b| class_weight(b)).product::<f64>()
        })
    }

    /// Builds a searcher for `words` whose anchors are the three-byte codes seen least often in `sample` (text of
    /// the stream being scanned). Same reports as [`KeywordSearch::new`], fewer places compared.
    #[cfg(test)]
    pub fn tuned<W: AsRef<[u8]>>(words: &[W], sample: &[u8]) -> KeywordSearch {
        let mut seen = CodeCounts::default();
        seen.count(sample);
        Self::tuned_on(words, &seen)
    }

    /// Builds a searcher for `words` whose anchors are the codes `seen` least often.
    pub fn tuned_on<W: AsRef<[u8]>>(words: &[W], seen: &CodeCounts) -> KeywordSearch {
        let class = classes();
        let seen = &seen.seen;
        Self::build(words, &|gram: [u8; 3]| {
            let code = gram
                .iter()
                .fold(0usize, |c, &b| (c << BITS) | class[b as usize] as usize);
            // Ties (most often: never seen) go to the rarer bytes.
            f64::from(seen[code]) + gram.iter().map(|&b| class_weight(b)).product::<f64>() * 1e-9
        })
    }

    fn build<W: AsRef<[u8]>>(words: &[W], weight_of: &dyn Fn([u8; 3]) -> f64) -> KeywordSearch {
        let class = classes();
        // (code, entry) pairs, sorted by code into one array of entries.
        let mut placed: Vec<(usize, Entry)> = Vec::new();
        for (id, w) in words.iter().enumerate() {
            let word: Box<[u8]> = w.as_ref().to_ascii_lowercase().into();
            let c = |i: usize| class[word[i] as usize] as usize;
            let mut head = [0u8; 8];
            let n = word.len().min(8);
            head[..n].copy_from_slice(&word[..n]);
            let entry = |offset: usize| Entry {
                id: id as u32,
                offset: offset as u32,
                head: u64::from_le_bytes(head),
                mask: if n == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * n)) - 1
                },
                word: word.clone(),
            };
            match word.len() {
                0 => {}
                // A keyword shorter than an anchor is looked for wherever its bytes start a code.
                1 => {
                    for rest in 0..1 << (2 * BITS) {
                        placed.push(((c(0) << (2 * BITS)) | rest, entry(0)));
                    }
                }
                2 => {
                    for rest in 0..1 << BITS {
                        placed.push(((c(0) << (2 * BITS)) | (c(1) << BITS) | rest, entry(0)));
                    }
                }
                n => {
                    let weight = |o: usize| weight_of([word[o], word[o + 1], word[o + 2]]);
                    let offset = (0..=n - 3)
                        .min_by(|&a, &b| weight(a).total_cmp(&weight(b)))
                        .unwrap_or(0);
                    let code = (c(offset) << (2 * BITS)) | (c(offset + 1) << BITS) | c(offset + 2);
                    placed.push((code, entry(offset)));
                }
            }
        }
        placed.sort_by_key(|(code, e)| (*code, e.id));
        let mut present = vec![0u64; (MASK + 1) / 64].into_boxed_slice();
        let mut starts = Vec::new();
        let mut entries = Vec::with_capacity(placed.len());
        for (code, e) in placed {
            if present[code / 64] & (1 << (code % 64)) == 0 {
                present[code / 64] |= 1 << (code % 64);
                starts.push(entries.len() as u32);
            }
            entries.push(e);
        }
        starts.push(entries.len() as u32);
        let line_ordered = !words.iter().any(|w| w.as_ref().contains(&b'\n'));
        let mut rank = Vec::with_capacity(present.len());
        let mut before = 0u32;
        for word in present.iter() {
            rank.push(before);
            before += word.count_ones();
        }
        KeywordSearch {
            class,
            present,
            rank: rank.into_boxed_slice(),
            starts: starts.into_boxed_slice(),
            entries: entries.into_boxed_slice(),
            line_ordered,
        }
    }

    /// Whether [`KeywordSearch::find_all`] reports in line order: the hits of one line (lines end at `\n`) after
    /// those of the lines before it, in no particular order within the line. True unless a keyword spans lines.
    pub fn line_ordered(&self) -> bool {
        self.line_ordered
    }

    /// Appends `(keyword, end offset)` for every occurrence of every keyword in `hay`, in the order of the places
    /// where their anchors start (so in line order, see [`KeywordSearch::line_ordered`]).
    pub fn find_all(&self, hay: &[u8], out: &mut Vec<(u32, u32)>) {
        let class = |b: u8| self.class[b as usize] as usize;
        let n = hay.len();
        // `code` rolls: the code of the last three bytes read, whose first is where an anchor would start. Bytes
        // past the end count as white space, so that keywords of one or two bytes at the very end are looked at.
        let mut code = match hay {
            [a, b, ..] => (class(*a) << BITS) | class(*b),
            [a] => class(*a) << BITS,
            [] => return,
        };
        for (i, &b) in hay.iter().enumerate().skip(2) {
            code = ((code << BITS) | class(b)) & MASK;
            if self.present[code / 64] & (1 << (code % 64)) != 0 {
                self.compare(hay, i - 2, code, out);
            }
        }
        for i in n.saturating_sub(2)..n {
            code = (code << BITS) & MASK;
            if self.present[code / 64] & (1 << (code % 64)) != 0 {
                self.compare(hay, i, code, out);
            }
        }
    }

    /// Compares the keywords anchored at code `code` with the text whose anchor starts at `at`.
    #[inline(never)]
    fn compare(&self, hay: &[u8], at: usize, code: usize, out: &mut Vec<(u32, u32)>) {
        let below = self.present[code / 64] & ((1u64 << (code % 64)) - 1);
        let r = (self.rank[code / 64] + below.count_ones()) as usize;
        let (from, to) = (self.starts[r] as usize, self.starts[r + 1] as usize);
        for e in &self.entries[from..to] {
            let Some(start) = at.checked_sub(e.offset as usize) else {
                continue;
            };
            let end = start + e.word.len();
            let same = match hay.get(start..start + 8) {
                Some(t) => {
                    let t = u64::from_le_bytes(t.try_into().unwrap_or([0; 8]));
                    lower8(t) & e.mask == e.head
                        && (e.word.len() <= 8
                            || hay
                                .get(start + 8..end)
                                .is_some_and(|t| t.eq_ignore_ascii_case(&e.word[8..])))
                }
                None => hay
                    .get(start..end)
                    .is_some_and(|t| t.eq_ignore_ascii_case(&e.word)),
            };
            if same {
                out.push((e.id, end as u32));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    fn reference(words: &[&[u8]], hay: &[u8]) -> Vec<(u32, u32)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(words)
            .unwrap();
        let mut v: Vec<(u32, u32)> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_u32(), m.end() as u32))
            .collect();
        v.sort_unstable();
        v
    }

    fn ours(words: &[&[u8]], hay: &[u8]) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        KeywordSearch::new(words).find_all(hay, &mut v);
        v.sort_unstable();
        v
    }

    #[test]
    fn reports_overlapping_and_short_keywords_at_the_edges() {
        let words: &[&[u8]] = &[
            b"to",
            b"token",
            b"ok",
            b"@",
            b"a/c",
            b"passw",
            b"password",
            b"k",
            b"xyz",
        ];
        for hay in [
            &b"TOKEN=1 to: a/c PassWord@x k"[..],
            b"to",
            b"k",
            b"@",
            b"xy",
            b"",
            b"tokentoken",
        ] {
            assert_eq!(
                ours(words, hay),
                reference(words, hay),
                "{:?}",
                String::from_utf8_lossy(hay)
            );
        }
    }

    #[test]
    fn eight_bytes_lower_cased_at_once() {
        for text in [
            &b"AZaz@[`{"[..],
            b"Hello, W",
            b"\xc3\x89T\xd0\x95\x80\xffQ",
            b"0123456;",
        ] {
            let x = u64::from_le_bytes(text.try_into().unwrap());
            let want = u64::from_le_bytes(text.to_ascii_lowercase().try_into().unwrap());
            assert_eq!(lower8(x), want, "{text:?}");
        }
        for b in 0..=255u8 {
            let text = [b, b'A', b, 0x80, b, b'z', b, 0xff];
            let x = u64::from_le_bytes(text);
            assert_eq!(
                lower8(x).to_le_bytes().to_vec(),
                text.to_ascii_lowercase(),
                "byte {b:#x}"
            );
        }
    }

    #[test]
    fn non_ascii_keywords_match_byte_for_byte() {
        let words: &[&[u8]] = &[
            "rč".as_bytes(),
            "ЕГН".as_bytes(),
            "егн".as_bytes(),
            "aadhaar".as_bytes(),
        ];
        let hay = "RČ 1 rč ЕГН егн Егн AADHAAR".as_bytes();
        assert_eq!(ours(words, hay), reference(words, hay));
    }

    proptest! {
        #[test]
        fn same_reports_as_aho_corasick(
            words in prop::collection::vec("[a-dA-D0-2 _:=@é]{1,6}", 1..40),
            hay in "[a-dA-D0-2 _:=@\\né]{0,300}",
        ) {
            let w: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
            let want = reference(&w, hay.as_bytes());
            prop_assert_eq!(ours(&w, hay.as_bytes()), want.clone());
            // Anchors tuned on some sample (here the text itself, and other text) change nothing reported.
            for sample in [hay.as_bytes(), &b"to be or not to be"[..]] {
                let mut tuned = Vec::new();
                KeywordSearch::tuned(&w, sample).find_all(hay.as_bytes(), &mut tuned);
                tuned.sort_unstable();
                prop_assert_eq!(&tuned, &want);
            }
        }
    }
}
