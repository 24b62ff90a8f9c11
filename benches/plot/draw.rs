//! Draws the benchmark figures as SVG text with plotters.
//!
//! Pure: each function turns figures already read ([`super::parse`]) into an SVG document held in a `String`,
//! so the same input always gives the same bytes (the committed figures are checked against a redraw). It never
//! reads or writes files, and it needs no font library: plotters' SVG backend writes `<text>` elements that the
//! viewer renders, and its built-in size estimate lays out the labels.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::parse::{BenchRun, RuleCost, ThroughputRow};

/// A figure could not be drawn (plotters reported an error).
#[derive(Debug, thiserror::Error)]
#[error("drawing {figure}: {message}")]
pub struct DrawError {
    figure: &'static str,
    message: String,
}

const WIDTH: u32 = 960;
const FONT: &str = "sans-serif";
const CLEAN: RGBColor = RGBColor(31, 119, 180);
const PLANTED: RGBColor = RGBColor(255, 127, 14);

/// Turns a plotters error into a [`DrawError`] naming the figure.
trait OrDraw<T> {
    fn or_draw(self, figure: &'static str) -> Result<T, DrawError>;
}

impl<T, E: std::fmt::Display> OrDraw<T> for Result<T, E> {
    fn or_draw(self, figure: &'static str) -> Result<T, DrawError> {
        self.map_err(|e| DrawError {
            figure,
            message: e.to_string(),
        })
    }
}

fn name_style() -> TextStyle<'static> {
    TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Right, VPos::Center))
}

fn value_style() -> TextStyle<'static> {
    TextStyle::from((FONT, 11).into_font()).pos(Pos::new(HPos::Left, VPos::Center))
}

/// Width of a left margin that holds `names` at 13 px (about 7 px a character in a sans-serif font).
fn name_margin<'a>(names: impl Iterator<Item = &'a str>) -> u32 {
    let chars = names.map(|n| n.chars().count()).max().unwrap_or(0) as u32;
    (chars * 7 + 24).clamp(120, 420)
}

/// Writes `name` right-aligned in a left margin `margin` px wide, level with pixel row `y`.
fn draw_name(
    root: &DrawingArea<SVGBackend, Shift>,
    margin: u32,
    name: &str,
    y: i32,
) -> Result<(), String> {
    root.draw(&Text::new(
        name.to_string(),
        (margin as i32 - 8, y),
        name_style(),
    ))
    .map_err(|e| e.to_string())
}

/// Writes where the figures come from (run date and commit) in small grey text at the bottom right.
fn draw_provenance(root: &DrawingArea<SVGBackend, Shift>, run: &BenchRun) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let style = TextStyle::from((FONT, 11).into_font())
        .color(&RGBColor(96, 96, 96))
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    root.draw(&Text::new(
        format!("logscrub benches, {}", run.provenance()),
        (w as i32 - 6, h as i32 - 4),
        style,
    ))
    .map_err(|e| e.to_string())
}

/// Throughput of every row of the two throughput tables: MB/s of CPU time on a log scale, clean and planted
/// corpus side by side (rows matched by name; a row only one table has gets one bar).
pub fn throughput(run: &BenchRun) -> Result<String, DrawError> {
    const FIGURE: &str = "throughput.svg";
    let names: Vec<&str> = {
        let mut names: Vec<&str> = run.clean.1.iter().map(|r| r.name.as_str()).collect();
        for r in &run.planted.1 {
            if !names.contains(&r.name.as_str()) {
                names.push(&r.name);
            }
        }
        names
    };
    let find = |rows: &[ThroughputRow], name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .map(|r| r.mbps_cpu)
            .filter(|v| *v > 0.0)
    };
    let all = run.clean.1.iter().chain(&run.planted.1).map(|r| r.mbps_cpu);
    let max = all.clone().fold(1.0f64, f64::max);
    let min = all.filter(|v| *v > 0.0).fold(max, f64::min);
    let (lo, hi) = (decade_below(min), decade_above(max) * 2.0);
    let n = names.len();
    let margin = name_margin(names.iter().copied());
    let height = 120 + 34 * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).or_draw(FIGURE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Throughput per row: MB/s of CPU time, same bytes, one run",
                (FONT, 16),
            )
            .margin(10)
            .margin_bottom(20)
            .margin_left(margin)
            .x_label_area_size(36)
            .build_cartesian_2d((lo..hi).log_scale(), 0f64..n as f64)
            .or_draw(FIGURE)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_desc("MB/s (CPU time; threaded rows per core), log scale")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .or_draw(FIGURE)?;
        for (series, rows, color, offset) in [
            ("clean corpus", &run.clean.1, CLEAN, 0.12),
            ("~1% planted secrets", &run.planted.1, PLANTED, 0.5),
        ] {
            let bars: Vec<(f64, f64, f64)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, name)| {
                    let y = (n - 1 - i) as f64 + 1.0 - offset;
                    find(rows, name).map(|v| (v, y - 0.36, y))
                })
                .collect();
            chart
                .draw_series(
                    bars.iter()
                        .map(|&(v, y0, y1)| Rectangle::new([(lo, y0), (v, y1)], color.filled())),
                )
                .or_draw(FIGURE)?
                .label(series)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
            chart
                .draw_series(bars.iter().map(|&(v, y0, y1)| {
                    Text::new(
                        format!("{v:.1}"),
                        (v * 1.04, (y0 + y1) / 2.0),
                        value_style(),
                    )
                }))
                .or_draw(FIGURE)?;
        }
        for (i, name) in names.iter().enumerate() {
            let (_, y) = chart.backend_coord(&(lo, (n - i) as f64 - 0.5));
            draw_name(&root, margin, name, y).or_draw(FIGURE)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 12))
            .draw()
            .or_draw(FIGURE)?;
        draw_provenance(&root, run).or_draw(FIGURE)?;
        root.present().or_draw(FIGURE)?;
    }
    Ok(svg)
}

/// The engine rows of one throughput table that use the backend of its threaded row, as (threads, wall MB/s),
/// sorted by threads.
fn engine_scaling(rows: &[ThroughputRow]) -> Vec<(u32, f64)> {
    let engine = |r: &&ThroughputRow| r.name.starts_with("logscrub engine");
    let backend = rows
        .iter()
        .filter(engine)
        .find(|r| r.threads > 1)
        .and_then(|r| r.name.rsplit(' ').next());
    let mut points: Vec<(u32, f64)> = rows
        .iter()
        .filter(engine)
        .filter(|r| backend.is_none_or(|b| r.name.ends_with(&format!("backend {b}"))))
        .map(|r| (r.threads, r.mbps_wall))
        .collect();
    points.sort_by_key(|p| p.0);
    points.dedup_by_key(|p| p.0);
    points
}

/// Thread scaling of the engine: wall MB/s by thread count on both corpora, with the linear ideal from the
/// 1-thread figure as a dashed line.
pub fn thread_scaling(run: &BenchRun) -> Result<String, DrawError> {
    const FIGURE: &str = "thread_scaling.svg";
    let series = [
        ("clean corpus", engine_scaling(&run.clean.1), CLEAN),
        (
            "~1% planted secrets",
            engine_scaling(&run.planted.1),
            PLANTED,
        ),
    ];
    let max_threads = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.0))
        .max()
        .unwrap_or(1)
        .max(2);
    let ideal = |points: &[(u32, f64)]| {
        points
            .iter()
            .find(|p| p.0 == 1)
            .map(|p| vec![(1, p.1), (max_threads, p.1 * max_threads as f64)])
            .unwrap_or_default()
    };
    let top = series
        .iter()
        .flat_map(|s| {
            s.1.iter()
                .chain(&ideal(&s.1))
                .map(|p| p.1)
                .collect::<Vec<_>>()
        })
        .fold(1.0f64, f64::max)
        * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 460)).into_drawing_area();
        root.fill(&WHITE).or_draw(FIGURE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Engine thread scaling: wall MB/s by threads", (FONT, 16))
            .margin(14)
            .margin_bottom(24)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0u32..max_threads + 1, 0f64..top)
            .or_draw(FIGURE)?;
        chart
            .configure_mesh()
            .x_labels(max_threads as usize + 2)
            .x_label_formatter(&|t| {
                if *t == 0 || *t > max_threads {
                    String::new()
                } else {
                    t.to_string()
                }
            })
            .x_desc("threads (LineStream per line-aligned chunk)")
            .y_desc("MB/s (wall)")
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .or_draw(FIGURE)?;
        for (name, points, color) in &series {
            let color = *color;
            chart
                .draw_series(DashedLineSeries::new(
                    ideal(points),
                    6,
                    4,
                    ShapeStyle::from(color.mix(0.6)).stroke_width(1),
                ))
                .or_draw(FIGURE)?;
            chart
                .draw_series(LineSeries::new(
                    points.clone(),
                    ShapeStyle::from(color).stroke_width(2),
                ))
                .or_draw(FIGURE)?
                .label(format!("{name} (dashed: linear from 1 thread)"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
                });
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|&(t, v)| Circle::new((t, v), 4, color.filled())),
                )
                .or_draw(FIGURE)?;
            chart
                .draw_series(points.iter().map(|&(t, v)| {
                    EmptyElement::at((t, v)) + Text::new(format!("{v:.1}"), (8, -10), value_style())
                }))
                .or_draw(FIGURE)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font((FONT, 12))
            .draw()
            .or_draw(FIGURE)?;
        draw_provenance(&root, run).or_draw(FIGURE)?;
        root.present().or_draw(FIGURE)?;
    }
    Ok(svg)
}

/// Rules shown in the per-rule figure (the slowest first); the rest are counted in its caption.
pub const RULES_SHOWN: usize = 25;

/// Per-rule cost: marginal ns per corpus line of the slowest rules, with each one's share of the summed marginals.
pub fn rule_cost(run: &BenchRun) -> Result<String, DrawError> {
    const FIGURE: &str = "rule_cost.svg";
    let mut rules: Vec<&RuleCost> = run.rules.iter().collect();
    rules.sort_by(|a, b| b.marginal_ns_per_line.total_cmp(&a.marginal_ns_per_line));
    let total = rules.len();
    let unmeasurable = rules
        .iter()
        .filter(|r| r.marginal_ns_per_line <= 0.0)
        .count();
    rules.retain(|r| r.marginal_ns_per_line > 0.0);
    rules.truncate(RULES_SHOWN);
    let n = rules.len().max(1);
    let margin = name_margin(rules.iter().map(|r| r.rule.as_str()));
    let max = rules
        .iter()
        .map(|r| r.marginal_ns_per_line)
        .fold(1.0f64, f64::max);
    let height = 130 + 22 * n as u32;
    let caption = format!(
        "Per-rule marginal cost: the {} slowest of {total} rules",
        rules.len()
    );
    let note = match unmeasurable {
        0 => String::new(),
        k => format!("; {k} rules cost no measurable time"),
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).or_draw(FIGURE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FONT, 16))
            .margin(10)
            .margin_bottom(20)
            .margin_left(margin)
            .x_label_area_size(36)
            .build_cartesian_2d(0f64..max * 1.3, 0f64..n as f64)
            .or_draw(FIGURE)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_desc(format!(
                "ns per corpus line: the rule alone minus the sentinel-only scrubber (rules_profile){note}"
            ))
            .draw()
            .or_draw(FIGURE)?;
        let bar = |i: usize| ((n - 1 - i) as f64 + 0.15, (n - i) as f64 - 0.15);
        chart
            .draw_series(rules.iter().enumerate().map(|(i, r)| {
                let (y0, y1) = bar(i);
                Rectangle::new([(0.0, y0), (r.marginal_ns_per_line, y1)], CLEAN.filled())
            }))
            .or_draw(FIGURE)?;
        chart
            .draw_series(rules.iter().enumerate().map(|(i, r)| {
                let (y0, y1) = bar(i);
                Text::new(
                    format!("{:.0} ns ({:.1}%)", r.marginal_ns_per_line, r.share_pct),
                    (r.marginal_ns_per_line + max * 0.01, (y0 + y1) / 2.0),
                    value_style(),
                )
            }))
            .or_draw(FIGURE)?;
        for (i, r) in rules.iter().enumerate() {
            let (_, y) = chart.backend_coord(&(0.0, (n - i) as f64 - 0.5));
            draw_name(&root, margin, &r.rule, y).or_draw(FIGURE)?;
        }
        draw_provenance(&root, run).or_draw(FIGURE)?;
        root.present().or_draw(FIGURE)?;
    }
    Ok(svg)
}

/// The power of ten at or below `v` (for a log axis).
fn decade_below(v: f64) -> f64 {
    10f64.powi(v.max(1e-9).log10().floor() as i32)
}

/// The power of ten at or above `v`.
fn decade_above(v: f64) -> f64 {
    10f64.powi(v.max(1e-9).log10().ceil() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, threads: u32, cpu: f64, wall: f64) -> ThroughputRow {
        ThroughputRow {
            name: name.into(),
            threads,
            mbps_cpu: cpu,
            mbps_wall: wall,
        }
    }

    #[test]
    fn scaling_follows_the_threaded_rows_backend() {
        let rows = [
            row("memchr newline count", 1, 6000.0, 6000.0),
            row(
                "logscrub engine, LineStream, 1 thread, backend rust",
                1,
                85.0,
                84.7,
            ),
            row(
                "logscrub engine, LineStream, 1 thread, backend vectorscan",
                1,
                76.0,
                75.9,
            ),
            row(
                "logscrub engine, LineStream × 2, backend rust",
                2,
                98.0,
                182.3,
            ),
            row("logscrub --threads 2", 2, 78.3, 151.6),
        ];
        assert_eq!(engine_scaling(&rows), vec![(1, 84.7), (2, 182.3)]);
    }

    #[test]
    fn decades_bracket_the_values() {
        assert_eq!(decade_below(11.7), 10.0);
        assert_eq!(decade_above(8883.4), 10000.0);
        assert_eq!(decade_below(100.0), 100.0);
    }
}
