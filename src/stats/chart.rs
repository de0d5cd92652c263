//! Daily statistics chart as a PNG, rendered in process: bars for one series on the left
//! axis, a line for another on the right axis, `dd.mm` dates along the bottom.
//!
//! Text is drawn with plotters' pure-Rust `ab_glyph` renderer from the shipped DejaVu Sans
//! (Latin + Cyrillic, see `assets/fonts/`), so no system font or fontconfig is needed and
//! caller-supplied uz/en/ru labels render the same everywhere.

use std::sync::OnceLock;

use plotters::coord::combinators::BindKeyPoints;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

/// Width of every rendered chart, in pixels.
pub const CHART_WIDTH: u32 = 1000;
/// Height of every rendered chart, in pixels.
pub const CHART_HEIGHT: u32 = 600;

/// The shipped font (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// Family name the font is registered under; plotters' own defaults also ask for it.
const FONT_FAMILY: &str = "sans-serif";
/// At most this many date labels on the x axis; longer ranges label every k-th day.
const MAX_X_LABELS: usize = 15;
/// x-axis units per day: day `i` sits at `i * DAY`, so bars can be narrower than a day
/// while ticks stay on exact integer key points.
const DAY: i64 = 100;
/// Half a bar's width, in x-axis units.
const HALF_BAR: i64 = 35;
/// The x axis spans at least this many days (data left-aligned), so one day is no giant bar.
const MIN_DAY_SLOTS: usize = 7;
/// Fill of the bars (left axis).
const BAR_COLOR: RGBColor = RGBColor(66, 133, 244);
/// Stroke of the line (right axis).
const LINE_COLOR: RGBColor = RGBColor(234, 67, 53);

/// One chart's data: a value per day for the bars and for the line, plus the localized
/// texts to print. `days`, `bars` and `line` must have the same length (zero is allowed).
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    /// Caption above the chart.
    pub title: String,
    /// The x axis, one entry per day, oldest first.
    pub days: Vec<chrono::NaiveDate>,
    /// Bar heights per day on the left axis (e.g. revenue); must be finite.
    pub bars: Vec<f64>,
    /// Legend and left-axis caption for `bars`.
    pub bars_label: String,
    /// Line values per day on the right axis (e.g. new subscribers).
    pub line: Vec<u64>,
    /// Legend and right-axis caption for `line`.
    pub line_label: String,
}

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// `days`, `bars` and `line` differ in length.
    #[error("series lengths differ: {days} days, {bars} bars, {line} line points")]
    LengthMismatch {
        /// Number of days.
        days: usize,
        /// Number of bar values.
        bars: usize,
        /// Number of line values.
        line: usize,
    },
    /// A bar value is NaN or infinite.
    #[error("bar value for day {index} is not finite")]
    NonFinite {
        /// Position of the offending value.
        index: usize,
    },
    /// The embedded font could not be parsed.
    #[error("embedded chart font is invalid")]
    Font,
    /// plotters failed while drawing.
    #[error("chart drawing failed: {0}")]
    Draw(String),
    /// The PNG encoder failed.
    #[error("png encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(err: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(err.to_string())
    }
}

/// Renders `series` as a `CHART_WIDTH` x `CHART_HEIGHT` RGB PNG and returns its bytes.
pub fn render_png(series: &DailySeries) -> Result<Vec<u8>, ChartError> {
    validate(series)?;
    ensure_font()?;
    let mut rgb = vec![0u8; CHART_WIDTH as usize * CHART_HEIGHT as usize * 3];
    draw(series, &mut rgb)?;
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, CHART_WIDTH, CHART_HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Checks equal lengths and finite bar values.
fn validate(series: &DailySeries) -> Result<(), ChartError> {
    let (days, bars, line) = (series.days.len(), series.bars.len(), series.line.len());
    if bars != days || line != days {
        return Err(ChartError::LengthMismatch { days, bars, line });
    }
    match series.bars.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(ChartError::NonFinite { index }),
        None => Ok(()),
    }
}

/// Registers the embedded font with plotters once per process.
fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// Draws the chart into an RGB buffer of `CHART_WIDTH * CHART_HEIGHT * 3` bytes.
fn draw(series: &DailySeries, rgb: &mut [u8]) -> Result<(), ChartError> {
    let root = BitMapBackend::with_buffer(rgb, (CHART_WIDTH, CHART_HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;

    // x is in 1/DAY day units (integers, so plotters accepts our own key points).
    let n = series.days.len();
    let step = n.div_ceil(MAX_X_LABELS).max(1);
    let ticks: Vec<i64> = (0..n).step_by(step).map(day_x).collect();
    let x_range = -DAY / 2..day_x(n.max(MIN_DAY_SLOTS)) - DAY / 2;

    let bars_max = series.bars.iter().copied().fold(0.0_f64, f64::max);
    let bars_min = series.bars.iter().copied().fold(0.0_f64, f64::min);
    // ~25% headroom keeps the top points clear of the legend in the upper-left corner.
    let bars_top = if bars_max > 0.0 { bars_max * 1.25 } else { 10.0 };
    let line_max = series.line.iter().copied().max().unwrap_or(0);
    let line_top = line_max.saturating_add(line_max / 4).saturating_add(1);

    let mut chart = ChartBuilder::on(&root)
        .caption(&series.title, (FONT_FAMILY, 28))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .right_y_label_area_size(70)
        .build_cartesian_2d(x_range.clone().with_key_points(ticks), bars_min..bars_top)?
        .set_secondary_coord(x_range, 0u64..line_top);

    let days = &series.days;
    let label_day = |x: &i64| {
        usize::try_from(x / DAY)
            .ok()
            .filter(|_| x % DAY == 0)
            .and_then(|index| days.get(index))
            .map(|d| d.format("%d.%m").to_string())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(1)
        .x_label_formatter(&label_day)
        .y_label_formatter(&|v: &f64| format_amount(*v))
        .y_desc(series.bars_label.as_str())
        .label_style((FONT_FAMILY, 16))
        .axis_desc_style((FONT_FAMILY, 16))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(series.line_label.as_str())
        .label_style((FONT_FAMILY, 16))
        .axis_desc_style((FONT_FAMILY, 16))
        .draw()?;

    chart
        .draw_series(series.bars.iter().enumerate().map(|(i, v)| {
            let x = day_x(i);
            Rectangle::new([(x - HALF_BAR, 0.0), (x + HALF_BAR, *v)], BAR_COLOR.filled())
        }))?
        .label(series.bars_label.as_str())
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], BAR_COLOR.filled()));
    let line_points = series.line.iter().enumerate().map(|(i, v)| (day_x(i), *v));
    chart
        .draw_secondary_series(LineSeries::new(line_points, LINE_COLOR.stroke_width(3)).point_size(4))?
        .label(series.line_label.as_str())
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], LINE_COLOR.stroke_width(3)));

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT_FAMILY, 16))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// The x coordinate of day `index` (saturating; charts never hold that many days).
fn day_x(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX / DAY).saturating_mul(DAY)
}

/// Formats an axis value: whole numbers grouped by thousands with spaces ("1 500 000"),
/// fractions with up to two decimals.
fn format_amount(value: f64) -> String {
    let rounded = value.round();
    if (value - rounded).abs() > 1e-9 {
        let text = format!("{value:.2}");
        return text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    let digits = format!("{:.0}", rounded.abs());
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if rounded < 0.0 {
        grouped.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

    fn days(n: usize) -> Vec<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        (0..n).map(|i| first + chrono::Days::new(i as u64)).collect()
    }

    fn series(n: usize, bars: Vec<f64>, line: Vec<u64>) -> DailySeries {
        DailySeries {
            title: "Statistika — Статистика".into(),
            days: days(n),
            bars,
            bars_label: "Выручка, сўм".into(),
            line,
            line_label: "Yangi obunachilar".into(),
        }
    }

    /// Asserts PNG signature and decodes; returns the RGB pixels.
    fn decode(bytes: &[u8]) -> Vec<u8> {
        assert!(bytes.starts_with(&PNG_SIGNATURE));
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (CHART_WIDTH, CHART_HEIGHT));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        pixels
    }

    fn count_color(pixels: &[u8], color: RGBColor) -> usize {
        pixels.chunks_exact(3).filter(|p| (p[0], p[1], p[2]) == (color.0, color.1, color.2)).count()
    }

    #[test]
    fn month_with_cyrillic_labels_renders_bars_and_line() {
        let bars = (0..30).map(|i| f64::from(i) * 12_500.0).collect();
        let line = (0..30).map(|i| (i % 7) as u64).collect();
        let pixels = decode(&render_png(&series(30, bars, line)).unwrap());
        assert!(count_color(&pixels, BAR_COLOR) > 10_000, "bars drawn");
        assert!(count_color(&pixels, LINE_COLOR) > 500, "line drawn");
        let non_white = pixels.chunks_exact(3).filter(|p| p != &[255, 255, 255]).count();
        assert!(non_white > 20_000, "text, axes and data drawn");
    }

    #[test]
    fn all_zero_data_renders() {
        decode(&render_png(&series(7, vec![0.0; 7], vec![0; 7])).unwrap());
    }

    #[test]
    fn single_day_renders() {
        let pixels = decode(&render_png(&series(1, vec![99_000.0], vec![3])).unwrap());
        assert!(count_color(&pixels, BAR_COLOR) > 1_000);
    }

    #[test]
    fn empty_series_renders() {
        decode(&render_png(&series(0, vec![], vec![])).unwrap());
    }

    #[test]
    fn length_mismatch_and_nan_are_errors() {
        let err = render_png(&series(2, vec![1.0], vec![1, 2])).unwrap_err();
        assert!(matches!(err, ChartError::LengthMismatch { days: 2, bars: 1, line: 2 }));
        let err = render_png(&series(2, vec![1.0, f64::NAN], vec![1, 2])).unwrap_err();
        assert!(matches!(err, ChartError::NonFinite { index: 1 }));
    }

    #[test]
    fn amounts_are_grouped() {
        assert_eq!(format_amount(0.0), "0");
        assert_eq!(format_amount(1_500_000.0), "1 500 000");
        assert_eq!(format_amount(999.0), "999");
        assert_eq!(format_amount(0.25), "0.25");
        assert_eq!(format_amount(-1234.0), "-1 234");
    }
}
