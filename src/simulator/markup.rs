//! Checking formatted text the way Telegram does (`parse_mode` HTML / MarkdownV2), returning
//! the plain text a `Message` would carry.

/// Tags Telegram's HTML parse mode understands.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Plain text of `text` under `parse_mode`, or the `can't parse entities` detail.
pub(crate) fn plain_text(text: &str, parse_mode: Option<&str>) -> Result<String, String> {
    match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(text.to_owned()),
        Some("html") => html(text),
        Some("markdownv2") => markdown_v2(text),
        Some("markdown") => Ok(text.replace(['*', '_', '`'], "")),
        Some(other) => Err(format!("unsupported parse_mode \"{other}\"")),
    }
}

/// Parses Telegram HTML.
pub(crate) fn html(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    let mut offset = 0usize;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        offset += pos;
        rest = &rest[pos..];
        if rest.starts_with('&') {
            let (ch, len) = entity(rest).ok_or_else(|| {
                format!("Character '&' is reserved and must be escaped as &amp; (byte offset {offset})")
            })?;
            out.push(ch);
            rest = &rest[len..];
            offset += len;
            continue;
        }
        let end = rest.find('>').ok_or_else(|| format!("Unexpected end of name token at byte offset {offset}"))?;
        let inner = &rest[1..end];
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => {
                    return Err(format!(
                        "Unmatched end tag at byte offset {offset}, expected \"</{open}>\", found \"</{name}>\""
                    ))
                }
                None => return Err(format!("Unexpected end tag at byte offset {offset}")),
            }
        } else {
            let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
            let name = inner[..name_end].to_ascii_lowercase();
            if name.is_empty() || !TAGS.contains(&name.as_str()) {
                return Err(format!("Unsupported start tag \"{name}\" at byte offset {offset}"));
            }
            if !inner[name_end..].matches('"').count().is_multiple_of(2) {
                return Err(format!("Unclosed attribute value at byte offset {offset}"));
            }
            stack.push(name);
        }
        rest = &rest[end + 1..];
        offset += end + 1;
    }
    out.push_str(rest);
    if let Some(open) = stack.last() {
        return Err(format!("Can't find end tag corresponding to start tag \"{open}\""));
    }
    Ok(out)
}

/// Decodes one HTML entity at the start of `s`: the character and the bytes consumed.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s[..s.len().min(12)].find(';')?;
    let name = &s[1..semi];
    let ch = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, semi + 1))
}

/// Parses MarkdownV2 loosely: reserved characters must be escaped, markers must balance.
pub(crate) fn markdown_v2(text: &str) -> Result<String, String> {
    const RESERVED: &str = "_*[]()~`>#+-=|{}.!";
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut open: Vec<char> = Vec::new();
    let mut in_code = false;
    while let Some((offset, c)) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some((_, e)) => out.push(e),
                None => return Err(format!("Character '\\' at byte offset {offset} is not escaped")),
            }
            continue;
        }
        if in_code && c != '`' {
            out.push(c);
            continue;
        }
        match c {
            '`' => in_code = !in_code,
            '*' | '_' | '~' | '|' => {
                if c == '|' && chars.next_if(|(_, n)| *n == '|').is_none() {
                    return Err(format!(
                        "Character '|' is reserved and must be escaped with the preceding '\\' (byte offset {offset})"
                    ));
                }
                if open.last() == Some(&c) {
                    open.pop();
                } else {
                    open.push(c);
                }
            }
            '[' => open.push('['),
            ']' => {
                if open.pop() != Some('[') {
                    return Err(format!(
                        "Character ']' is reserved and must be escaped with the preceding '\\' (byte offset {offset})"
                    ));
                }
                if chars.next_if(|(_, n)| *n == '(').is_some() {
                    for (_, u) in chars.by_ref() {
                        if u == ')' {
                            break;
                        }
                    }
                }
            }
            c if RESERVED.contains(c) => {
                return Err(format!("Character '{c}' is reserved and must be escaped with the preceding '\\'"))
            }
            c => out.push(c),
        }
    }
    if in_code || !open.is_empty() {
        return Err("Can't find end of the entity".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn html_checks() {
        assert_eq!(html("<b>Hi</b> &lt;3 &amp; <a href=\"x\">y</a>").unwrap(), "Hi <3 & y");
        assert!(html("<b>open").is_err());
        assert!(html("<foo>x</foo>").is_err());
        assert!(html("a < b").is_err());
        assert!(html("Tom & Jerry").is_err());
        assert!(html("<b><i>x</b></i>").is_err());
        assert_eq!(html("<tg-spoiler>s</tg-spoiler><blockquote>q</blockquote>").unwrap(), "sq");
        assert_eq!(html("a > b &#65;").unwrap(), "a > b A");
    }

    #[test]
    fn markdown_checks() {
        assert_eq!(markdown_v2("*bold* \\. ok").unwrap(), "bold . ok");
        assert!(markdown_v2("price 1.5").is_err());
        assert_eq!(markdown_v2("[link](http://x.y)").unwrap(), "link");
    }
}
