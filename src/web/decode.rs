//! Bytes to text. News sites in Korea, Japan and China still serve EUC-KR, Shift_JIS and
//! GB18030, often declared in only one place, so bitext decodes pages itself, in this order:
//! a byte-order mark; bytes that are valid UTF-8; the `Content-Type` header's charset; a
//! `<meta charset>` or `http-equiv` declaration in the first 1024 bytes; and a detector
//! (chardetng) told the address's top-level domain. `encoding_rs` decodes. Labels are read
//! with the WHATWG names plus the aliases servers use in practice (`cp949`, `uhc`, `cp932`…).

use encoding_rs::Encoding;

/// Where the encoding was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    Utf8,
    Header,
    Meta,
    Detector,
}

/// Decoded text and how its encoding was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's name, such as `EUC-KR`.
    pub encoding: &'static str,
    pub source: Source,
}

/// The encoding of a label, with the aliases the WHATWG list lacks but servers send.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    let alias = match l.as_str() {
        "cp949" | "uhc" | "ms949" | "x-windows-949" | "ks_c_5601" => "euc-kr",
        "cp932" | "x-ms-cp932" | "ms-kanji" | "shift-jis-2004" | "sjis-open" => "shift_jis",
        "cp936" | "ms936" | "windows-936" => "gbk",
        "eucjp" | "x-eucjp" | "euc_jp" => "euc-jp",
        "euckr" | "euc_kr" => "euc-kr",
        "big5hkscs" => "big5-hkscs",
        "utf_8" => "utf-8",
        other => other,
    };
    Encoding::for_label(alias.as_bytes())
}

/// The charset parameter of a `Content-Type` value.
pub fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// The encoding declared by a `<meta>` in the first 1024 bytes, as the HTML prescan finds it
/// (`<meta charset="euc-kr">` or `<meta http-equiv="Content-Type" content="text/html;
/// charset=Shift_JIS">`).
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut rest = &tag[c + b"charset".len()..];
            rest = rest.trim_ascii_start();
            if let Some(r) = rest.strip_prefix(b"=") {
                let r = r.trim_ascii_start();
                let r = r.strip_prefix(b"\"").or_else(|| r.strip_prefix(b"'")).unwrap_or(r);
                let value: Vec<u8> = r
                    .iter()
                    .take_while(|&&b| !matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') && !b.is_ascii_whitespace())
                    .copied()
                    .collect();
                if let Some(e) = std::str::from_utf8(&value).ok().and_then(encoding_for_label) {
                    // A page that says UTF-16 in ASCII is not UTF-16 (as the HTML standard says).
                    return Some(if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        e
                    });
                }
            }
        }
        from = end.max(start + 5);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a page's bytes; `content_type` is the header, `url` where it came from (its
/// top-level domain helps the detector).
pub fn decode(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded { text: text.into_owned(), encoding: encoding.name(), source: Source::Bom };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded { text: text.to_string(), encoding: "UTF-8", source: Source::Utf8 };
    }
    let declared = content_type
        .and_then(charset_of)
        .and_then(encoding_for_label)
        .map(|e| (e, Source::Header))
        .or_else(|| meta_charset(bytes).map(|e| (e, Source::Meta)));
    let (encoding, source) = declared.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let tld = url
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().and_then(|h| h.rsplit('.').next().map(str::to_ascii_lowercase)));
        (detector.guess(tld.as_deref().map(str::as_bytes), chardetng::Utf8Detection::Deny), Source::Detector)
    });
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded { text: text.into_owned(), encoding: encoding.name(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_aliases() {
        assert_eq!(encoding_for_label("CP949"), Some(encoding_rs::EUC_KR));
        assert_eq!(encoding_for_label("uhc"), Some(encoding_rs::EUC_KR));
        assert_eq!(encoding_for_label("windows-31j"), Some(encoding_rs::SHIFT_JIS));
        assert_eq!(encoding_for_label("cp932"), Some(encoding_rs::SHIFT_JIS));
        assert_eq!(encoding_for_label("GB2312"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_label("nonsense"), None);
        assert_eq!(charset_of("text/html; Charset=\"EUC-KR\""), Some("EUC-KR"));
        assert_eq!(charset_of("text/html"), None);
    }

    #[test]
    fn order_bom_utf8_header_meta_detector() {
        let (ko, _, _) = encoding_rs::EUC_KR.encode("<p>서울시가 새 노선을 발표했다.</p>");
        let with_meta = [b"<html><head><meta charset=\"euc-kr\"></head>".as_slice(), &ko].concat();
        let d = decode(&with_meta, Some("text/html"), None);
        assert_eq!((d.encoding, d.source), ("EUC-KR", Source::Meta));
        assert!(d.text.contains("서울시가"));
        // The header wins over the meta.
        let d = decode(&with_meta, Some("text/html; charset=cp949"), None);
        assert_eq!(d.source, Source::Header);
        // Valid UTF-8 wins over a wrong declaration.
        let d = decode("<meta charset=euc-kr><p>서울</p>".as_bytes(), Some("text/html; charset=euc-kr"), None);
        assert_eq!((d.encoding, d.source), ("UTF-8", Source::Utf8));
        // A byte-order mark wins over everything.
        let d = decode(b"\xef\xbb\xbfhello", Some("text/html; charset=euc-kr"), None);
        assert_eq!((d.text.as_str(), d.source), ("hello", Source::Bom));
        // Nothing declared: the detector, helped by the domain.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("桜の開花はどう決まるのか。気象庁の標本木が頼りだ。");
        let d = decode(&sjis, None, Some("http://news.example.jp/a"));
        assert_eq!((d.encoding, d.source), ("Shift_JIS", Source::Detector));
    }

    #[test]
    fn meta_in_http_equiv_form() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">";
        assert_eq!(meta_charset(page), Some(encoding_rs::SHIFT_JIS));
        let late = [vec![b' '; 1100], b"<meta charset=euc-kr>".to_vec()].concat();
        assert_eq!(meta_charset(&late), None, "only the first 1024 bytes count");
    }
}
