//! Reading a web page: decoding and extracting, `cargo bench --bench web`. Numbers go in
//! BENCHMARKS.md. The pages are the Korean fixture (EUC-KR, declared only in `<meta>`) grown
//! to about 200 KB and 2 MB: more body paragraphs, and more of the boilerplate around them.

use divan::Bencher;

fn main() {
    divan::main();
}

/// The Korean fixture page with its body and its boilerplate repeated until it is `size` bytes.
fn page(size: usize) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/web/ko-euckr.html");
    let bytes = std::fs::read(path).unwrap();
    let (text, _, _) = encoding_rs::EUC_KR.decode(&bytes);
    let start = text.find("itemprop=\"articleBody\"").and_then(|i| text[..i].rfind("<div")).unwrap();
    let end = text[start..].find("</article>").unwrap() + start;
    let body = &text[start..end];
    let inner_start = body.find('>').unwrap() + 1;
    let paragraphs = &body[inner_start..];
    let mut grown = String::from(&text[..start + inner_start]);
    let tail = &text[start + inner_start..];
    while grown.len() + tail.len() < size {
        grown.push_str(paragraphs);
        grown.push_str("<div class=\"most-read\"><ol><li>많이 본 기사</li><li>다른 기사</li></ol></div>");
    }
    grown.push_str(tail);
    let (encoded, _, _) = encoding_rs::EUC_KR.encode(&grown);
    encoded.into_owned()
}

#[divan::bench(args = [200_000, 2_000_000], sample_count = 20)]
fn decode_and_extract(bencher: Bencher, size: usize) {
    let bytes = page(size);
    bencher.bench(|| {
        let decoded = bitext::web::decode::decode(divan::black_box(&bytes), Some("text/html"), None);
        let limits = bitext::web::extract::Limits::default();
        bitext::web::extract::extract(&decoded.text, Some("http://news.example/ko/a.html"), None, limits).unwrap()
    });
}
