//! `scan --format html`: one self-contained page (no scripts, no external resources) with the findings counted by
//! class and by file, and a bar chart of the classes as inline SVG. It holds counts only — never a finding list,
//! never a value — so its memory is bounded by classes × files.

use std::collections::BTreeMap;
use std::io::{self, Write};

use logscrub_engine::Scrubber;

use super::pipeline::Hit;
use super::report::{Reporter, Summary};
use super::Located;

/// Writes the page at the end of the run.
pub struct HtmlReporter {
    scrubber: Scrubber,
}

impl HtmlReporter {
    /// For `scrubber`'s rules.
    pub fn new(scrubber: &Scrubber) -> Self {
        HtmlReporter {
            scrubber: scrubber.clone(),
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

impl Reporter for HtmlReporter {
    fn hit(&mut self, _w: &mut dyn Write, _at: &Located, _hit: &Hit) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut by_class: BTreeMap<&str, (u64, &str)> = BTreeMap::new();
        for (i, rc) in s.rules.iter().enumerate() {
            if rc.count > 0 {
                let r = &self.scrubber.rules()[i];
                let e = by_class.entry(&r.class).or_insert((0, r.category.as_str()));
                e.0 += rc.count;
            }
        }
        let mut classes: Vec<_> = by_class.into_iter().collect();
        classes.sort_by_key(|(_, (n, _))| std::cmp::Reverse(*n));
        let mut by_file: BTreeMap<&str, Vec<(&str, u64)>> = BTreeMap::new();
        for ((file, class), n) in &s.by_file_class {
            by_file.entry(file).or_default().push((class, *n));
        }
        writeln!(
            w,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>logscrub scan</title>\n<style>\
             body{{font-family:system-ui,sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse;margin:1em 0}}\
             td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}td.n{{text-align:right}}\
             </style></head><body>\n<h1>logscrub scan</h1>"
        )?;
        writeln!(
            w,
            "<p>{} findings in {} lines ({:.1} MB) of {} input{}; {} allowlisted, {} in the baseline{}.</p>",
            s.total,
            s.lines,
            s.bytes as f64 / 1e6,
            by_file.len(),
            if by_file.len() == 1 { "" } else { "s" },
            s.allowlisted,
            s.baselined,
            if s.refused.is_empty() {
                String::new()
            } else {
                format!("; <strong>{} inputs could not be read</strong>", s.refused.len())
            }
        )?;
        let max = classes.first().map_or(1, |(_, (n, _))| (*n).max(1));
        let bar_h = 22;
        writeln!(
            w,
            "<h2>By class</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{}\" role=\"img\" \
             aria-label=\"findings by class\">",
            classes.len() * bar_h + 4
        )?;
        for (i, (class, (n, _))) in classes.iter().enumerate() {
            let y = i * bar_h;
            let width = (*n as f64 / max as f64 * 380.0).max(1.0);
            writeln!(
                w,
                "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text><rect x=\"180\" y=\"{}\" width=\"{width:.0}\" \
                 height=\"{}\" fill=\"#c0392b\"/><text x=\"{:.0}\" y=\"{}\" font-size=\"13\">{n}</text>",
                y + 15,
                escape(class),
                y + 3,
                bar_h - 6,
                185.0 + width,
                y + 15
            )?;
        }
        writeln!(w, "</svg>")?;
        writeln!(
            w,
            "<table><tr><th>class</th><th>category</th><th>findings</th></tr>"
        )?;
        for (class, (n, cat)) in &classes {
            writeln!(
                w,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{n}</td></tr>",
                escape(class),
                escape(cat)
            )?;
        }
        writeln!(w, "</table>\n<h2>By file</h2>\n<table><tr><th>file</th><th>findings by class</th><th>total</th></tr>")?;
        for (file, list) in &by_file {
            let total: u64 = list.iter().map(|(_, n)| n).sum();
            let parts: Vec<String> = list
                .iter()
                .map(|(c, n)| format!("{} {n}", escape(c)))
                .collect();
            writeln!(
                w,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{total}</td></tr>",
                escape(file),
                parts.join(", ")
            )?;
        }
        writeln!(w, "</table>")?;
        for r in &s.refused {
            writeln!(w, "<p><strong>not read:</strong> {}</p>", escape(r))?;
        }
        writeln!(w, "</body></html>")
    }
}
