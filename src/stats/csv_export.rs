//! CSV export for owner statistics: RFC 4180 (comma-separated, `"`-quoted when needed,
//! CRLF line ends), UTF-8 without BOM, a header row first, and every cell passed through
//! [`inert`] so a spreadsheet never evaluates it as a formula (OWASP "CSV injection").

use std::borrow::Cow;

/// Why a CSV export could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The writer rejected a record, e.g. a row whose length differs from the header's.
    #[error("csv write failed: {0}")]
    Write(#[from] csv::Error),
    /// Flushing the in-memory buffer failed.
    #[error("csv flush failed: {0}")]
    Flush(#[source] std::io::Error),
}

/// Characters that make a spreadsheet treat a cell as a formula (or strip up to one).
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Makes one cell inert against formula injection: a cell that starts with `=`, `+`, `-`,
/// `@`, tab or carriage return gets a leading `'`; any other cell is returned unchanged.
pub fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Writes `header` and then `rows` as one RFC 4180 CSV document (UTF-8, CRLF), each cell
/// made [`inert`]. Every row must have as many cells as the header.
pub fn to_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, CsvError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .has_headers(true)
        .from_writer(Vec::new());
    writer.write_record(header.iter().map(|cell| inert(cell)).map(cow_bytes))?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| inert(cell)).map(cow_bytes))?;
    }
    writer.into_inner().map_err(|err| CsvError::Flush(err.into_error()))
}

/// Borrows a cell's bytes for `write_record` (which takes `AsRef<[u8]>`).
fn cow_bytes(cell: Cow<'_, str>) -> Cow<'_, [u8]> {
    match cell {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    /// Parses CSV bytes back into all records, the header included.
    fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
        reader.records().map(|r| r.expect("valid csv").iter().map(str::to_owned).collect()).collect()
    }

    #[test]
    fn header_and_rows_use_crlf() {
        let out = to_csv(&["day", "revenue"], vec![row(&["2024-05-01", "12000"])]).unwrap();
        assert_eq!(out, b"day,revenue\r\n2024-05-01,12000\r\n");
    }

    #[test]
    fn quotes_commas_quotes_and_newlines() {
        let out = to_csv(&["a", "b", "c"], vec![row(&["x,y", "say \"hi\"", "line1\nline2"])]).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(text, "a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line1\nline2\"\r\n");
        assert_eq!(parse(&out), vec![row(&["a", "b", "c"]), row(&["x,y", "say \"hi\"", "line1\nline2"])]);
    }

    #[test]
    fn inert_prefixes_formula_triggers_only() {
        for bad in ["=1+1", "+7", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["", "12", "abc", " =x", "'=x", "Иван", "a=b"] {
            assert!(matches!(inert(ok), Cow::Borrowed(_)), "{ok:?}");
            assert_eq!(inert(ok), ok);
        }
    }

    #[test]
    fn every_cell_is_made_inert_including_header() {
        let out = to_csv(&["=HEADER", "ok"], vec![row(&["=HYPERLINK(\"http://x\")", "-5"])]).unwrap();
        assert_eq!(parse(&out), vec![row(&["'=HEADER", "ok"]), row(&["'=HYPERLINK(\"http://x\")", "'-5"]),]);
    }

    #[test]
    fn cyrillic_and_uzbek_round_trip_as_utf8() {
        let header = ["Дата", "Выручка", "Yangi obunachilar"];
        let rows = vec![row(&["01.05", "15 000 сўм", "3"]), row(&["02.05", "0", "Oʻzbekiston, «тест»"])];
        let out = to_csv(&header, rows.clone()).unwrap();
        assert!(std::str::from_utf8(&out).is_ok());
        assert!(!out.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
        let mut expected = vec![row(&header)];
        expected.extend(rows);
        assert_eq!(parse(&out), expected);
    }

    #[test]
    fn header_only_when_no_rows() {
        let out = to_csv(&["day"], Vec::new()).unwrap();
        assert_eq!(out, b"day\r\n");
    }

    #[test]
    fn ragged_row_is_an_error() {
        let err = to_csv(&["a", "b"], vec![row(&["only one"])]).unwrap_err();
        assert!(matches!(err, CsvError::Write(_)), "{err}");
    }
}
