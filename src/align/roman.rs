//! Romanisation for matching names across scripts.
//!
//! A Korean paragraph that mentions 최영호 and an English one that mentions "Choi Young-ho" should
//! share an anchor, and so should ワシントン and "Washington". Exact romanisation is hopeless
//! (Korean names alone have half a dozen competing spellings), so names are compared by their
//! **consonant skeleton**: romanise the Hangul or kana, then reduce both it and the Latin spelling
//! to a short string of consonant classes.
//!
//! 1. [`romanise_hangul`] writes Hangul in Revised Romanisation, syllable by syllable from the jamo
//!    tables, with the sound changes around `ㄹ` that place names show (신라 `silla`, 종로 `jongno`)
//!    but not the nasalisation of k/t/p, which personal names never show (박민준 is Park Min-jun).
//! 2. [`hangul_spellings`] adds the spellings people actually use for names: the surname table
//!    (`이` → lee, yi, rhee, i) and common given-name syllables (`영` → young, yeong), written as
//!    RR of personal names is, without sound changes between syllables.
//! 3. [`romanise_kana`] writes hiragana and katakana in Hepburn, with the katakana extensions
//!    used for foreign names (ティ ti, ファ fa, ヴァ va).
//! 4. [`skeleton`] reduces any Latin spelling to consonant classes, so that the systems meet.
//!
//! The skeleton's alphabet is `c k m n p r s t`: vowels, `y`, `w` and `h` vanish, and each class
//! absorbs the letters that the romanisation systems and English spellings use for one sound:
//!
//! | class | letters | so that |
//! |---|---|---|
//! | `c` | `ch`, `tch`, `j`, `z` | 정 jeong = Chung, ジョ jo = Jo, 젤렌스키 = Zelensky |
//! | `k` | `k`, `g`, `q`, `ck`, `c` (not before e/i/y), `ch` before a consonant | 김 gim = Kim, Christopher |
//! | `m` | `m`, `n` before `b`/`p` | キャンベル kyanberu = Campbell |
//! | `n` | `n`, `ng` | 영 yeong = Young, 강 gang = Kang |
//! | `p` | `p`, `b`, `f`, `v`, `ph` | 부산 = Pusan, フォ fo, ヴァ va |
//! | `r` | `r`, `l` (but see below) | ベルリン berurin = Berlin |
//! | `s` | `s`, `sh`, `sch`, `th`, `c` before e/i/y | 신 shin = sin, スミス sumisu = Smith |
//! | `t` | `t`, `d` | ドゥ du = tu |
//! | `ks` | `x` | アレクサンダー = Alexander |
//!
//! Three more rules make English spellings meet the transcriptions made from their sound:
//! an `r` after a vowel and not before one is silent (Sharp シャープ, Park 박), `gh` not before a
//! vowel is silent (Wright ライト), and runs of one class collapse to one letter, also across
//! dropped vowels (Berlin `prn` = berurin; Toyota `t`). Accented Latin letters (including the
//! McCune–Reischauer breves ŏ, ŭ) fold to their base letter; other characters are dropped.
//!
//! Everything is table-driven and allocation-light: it runs on every word of every paragraph.

/// Initial consonants of a Hangul syllable (19), in Unicode order, in Revised Romanisation.
const INITIALS: [&str; 19] =
    ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];

/// Vowels of a Hangul syllable (21), in Unicode order, in Revised Romanisation.
const MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
];

/// Final consonants (28, the first being none), in Unicode order, as RR writes them at the end of
/// a word: ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ.
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t",
    "t", "k", "t", "p", "t",
];

/// How each final is written before a syllable beginning with silent ㅇ: (what stays in the first
/// syllable, what moves to the second), in the order of [`FINALS`]: 한국어 `hangugeo`, 값이 `gapsi`,
/// 영어 `yeongeo`.
#[rustfmt::skip]
const LIAISON: [(&str, &str); 28] = [
    ("", ""), ("", "g"), ("", "kk"), ("k", "s"), ("", "n"), ("n", "j"), ("", "n"),
    ("", "d"), ("", "r"), ("l", "g"), ("l", "m"), ("l", "b"), ("l", "s"), ("l", "t"),
    ("l", "p"), ("", "r"), ("", "m"), ("", "b"), ("p", "s"), ("", "s"), ("", "ss"),
    ("ng", ""), ("", "j"), ("", "ch"), ("", "k"), ("", "t"), ("", "p"), ("", ""),
];

/// Indices into [`INITIALS`] that the sound changes look at.
const NIEUN: usize = 2;
const RIEUL: usize = 5;
const IEUNG: usize = 11;

/// Most syllables a word may have and still be treated as a name by [`hangul_spellings`].
pub const MAX_NAME_SYLLABLES: usize = 4;

/// Most spellings [`hangul_spellings`] returns.
pub const MAX_SPELLINGS: usize = 16;

/// Common surnames (the 40 most common and then some) and their usual spellings, most usual
/// first. The plain RR spelling is tried as well when it is not listed.
#[rustfmt::skip]
pub const SURNAMES: &[(char, &[&str])] = &[
    ('김', &["kim", "gim"]), ('이', &["lee", "yi", "rhee", "i"]), ('박', &["park", "bak"]), ('최', &["choi", "choe"]),
    ('정', &["jung", "jeong", "chung"]), ('강', &["kang", "gang"]), ('조', &["cho", "jo"]), ('윤', &["yoon", "yun"]),
    ('장', &["jang", "chang"]), ('임', &["lim", "im"]), ('한', &["han"]), ('오', &["oh", "o"]),
    ('서', &["seo", "suh"]), ('신', &["shin", "sin"]), ('권', &["kwon", "gwon"]), ('황', &["hwang"]),
    ('안', &["ahn", "an"]), ('송', &["song"]), ('류', &["ryu", "yoo", "yu"]), ('전', &["jeon", "jun", "chun"]),
    ('홍', &["hong"]), ('고', &["ko", "go"]), ('문', &["moon", "mun"]), ('양', &["yang"]),
    ('손', &["son", "sohn"]), ('배', &["bae"]), ('백', &["baek", "paik"]), ('허', &["heo", "huh"]),
    ('유', &["yoo", "yu"]), ('남', &["nam"]), ('심', &["shim", "sim"]), ('노', &["roh", "noh", "no"]),
    ('하', &["ha"]), ('곽', &["kwak", "gwak"]), ('성', &["sung", "seong"]), ('차', &["cha"]),
    ('주', &["joo", "ju"]), ('우', &["woo", "u"]), ('구', &["koo", "gu"]), ('민', &["min"]),
    ('진', &["jin"]), ('나', &["na", "ra"]), ('지', &["ji", "jee"]), ('엄', &["eom", "um"]),
    ('채', &["chae"]), ('원', &["won"]), ('천', &["cheon", "chun"]), ('방', &["bang"]),
    ('공', &["gong", "kong"]), ('현', &["hyun", "hyeon"]), ('함', &["ham"]), ('변', &["byun", "byeon"]),
    ('염', &["yeom", "yum"]), ('여', &["yeo", "yuh"]), ('추', &["choo", "chu"]), ('도', &["do", "doh"]),
    ('소', &["so", "soh"]), ('석', &["seok", "suk"]), ('선', &["sun", "seon"]), ('설', &["seol", "sul"]),
    ('마', &["ma"]), ('길', &["gil", "kil"]), ('연', &["yeon", "yun"]), ('위', &["wi", "wee"]),
    ('표', &["pyo"]), ('명', &["myung", "myeong"]), ('기', &["ki", "gi"]), ('반', &["ban"]),
    ('왕', &["wang"]), ('금', &["geum", "keum"]), ('옥', &["ok"]), ('육', &["yook", "yuk"]),
    ('인', &["in"]), ('맹', &["maeng"]), ('제', &["je", "jae"]), ('모', &["mo"]),
    ('탁', &["tak"]), ('국', &["kook", "guk"]), ('어', &["eo", "uh"]), ('은', &["eun"]),
    ('편', &["pyeon", "pyun"]), ('용', &["yong"]), ('예', &["ye", "yeh"]),
];

/// Common given-name syllables and their usual spellings (the plain RR spelling is tried as well).
#[rustfmt::skip]
pub const GIVEN_SYLLABLES: &[(char, &[&str])] = &[
    ('영', &["young", "yeong"]), ('정', &["jung", "jeong"]), ('성', &["sung", "seong"]), ('현', &["hyun", "hyeon"]),
    ('준', &["joon", "jun"]), ('수', &["soo", "su"]), ('은', &["eun"]), ('연', &["yeon", "yun"]),
    ('진', &["jin"]), ('희', &["hee", "hui"]), ('우', &["woo", "u"]), ('서', &["seo"]),
    ('민', &["min"]), ('석', &["seok", "suk"]), ('철', &["chul", "cheol"]), ('훈', &["hoon", "hun"]),
    ('용', &["yong"]), ('경', &["kyung", "gyeong"]), ('광', &["kwang", "gwang"]), ('규', &["kyu", "gyu"]),
    ('근', &["keun", "geun"]), ('기', &["ki", "gi"]), ('동', &["dong"]), ('태', &["tae"]),
    ('호', &["ho"]), ('혁', &["hyuk", "hyeok"]), ('윤', &["yoon", "yun"]), ('주', &["joo", "ju"]),
    ('구', &["koo", "gu"]), ('국', &["kook", "guk"]), ('권', &["kwon", "gwon"]), ('택', &["taek"]),
    ('건', &["gun", "geon"]), ('원', &["won"]), ('명', &["myung", "myeong"]), ('지', &["ji", "jee"]),
    ('승', &["seung", "sung"]), ('선', &["sun", "seon"]), ('순', &["soon", "sun"]), ('숙', &["sook", "suk"]),
    ('중', &["joong", "jung"]), ('형', &["hyung", "hyeong"]), ('병', &["byung", "byeong"]), ('종', &["jong", "chong"]),
    ('범', &["bum", "beom"]), ('섭', &["sub", "seop"]), ('식', &["sik", "shik"]), ('신', &["shin", "sin"]),
    ('욱', &["wook", "uk"]), ('열', &["yeol", "yul"]), ('덕', &["duk", "deok"]), ('혜', &["hye", "hae"]),
    ('아', &["ah", "a"]),
];

/// The (initial, medial, final) jamo indices of a precomposed Hangul syllable.
fn decompose(c: char) -> Option<(usize, usize, usize)> {
    let s = (c as u32).checked_sub(0xAC00).filter(|&s| s <= 0xD7A3 - 0xAC00)? as usize;
    Some((s / 588, (s % 588) / 28, s % 28))
}

/// The spelling of a final and the next syllable's initial: liaison before ㅇ, and the changes
/// around ㄹ that official place names show (신라 Silla, 선릉 Seolleung, 종로 Jongno, 강릉 Gangneung).
/// RR would also nasalise k/t/p before ㄴ ㅁ ㄹ (독립문 Dongnimmun), but a name's syllables are
/// written as they are (박민준 Park Min-jun, not Bangminjun), and names are what this is for.
fn join(fin: usize, init: usize) -> (&'static str, &'static str) {
    match (FINALS[fin], init) {
        (_, IEUNG) => LIAISON[fin],
        ("n" | "l", RIEUL) | ("l", NIEUN) => ("l", "l"),
        ("m" | "ng", RIEUL) => (FINALS[fin], "n"),
        _ => (FINALS[fin], INITIALS[init]),
    }
}

/// Revised Romanisation of Korean for a run of Hangul syllables (U+AC00..=U+D7A3), syllable by
/// syllable from the jamo tables, with liaison and the sound changes around `ㄹ` between adjacent
/// syllables (`ㄴ`+`ㄹ` → `ll`, `ㅇ`+`ㄹ` → `ngn`), but no nasalisation of k/t/p, which names
/// never show. Non-Hangul chars are skipped (and stop sound changes). "최영호" → "choeyeongho",
/// "가람" → "garam", "신라" → "silla", "박민준" → "bakminjun".
pub fn romanise_hangul(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + word.len() / 2);
    // The previous syllable's final, written once the next syllable's initial is known.
    let mut pending: Option<usize> = None;
    for c in word.chars() {
        let Some((i, m, f)) = decompose(c) else {
            if let Some(f) = pending.take() {
                out.push_str(FINALS[f]);
            }
            continue;
        };
        let (fin, init) = match pending {
            Some(p) => join(p, i),
            None => ("", INITIALS[i]),
        };
        out.push_str(fin);
        out.push_str(init);
        out.push_str(MEDIALS[m]);
        pending = Some(f);
    }
    if let Some(f) = pending {
        out.push_str(FINALS[f]);
    }
    out
}

/// The spellings worth trying for one syllable of a name: the table's, then plain RR if new.
fn syllable_spellings(c: char, table: &[(char, &[&str])]) -> Vec<String> {
    let mut out: Vec<String> = match table.iter().find(|(k, _)| *k == c) {
        Some((_, spellings)) => spellings.iter().map(|s| s.to_string()).collect(),
        None => Vec::new(),
    };
    if let Some((i, m, f)) = decompose(c) {
        let rr = [INITIALS[i], MEDIALS[m], FINALS[f]].concat();
        if !out.contains(&rr) {
            out.push(rr);
        }
    }
    out
}

/// Every spelling of a Korean name-like word worth trying, lowercase and without separators
/// (`kimminji`): first the word's RR ([`romanise_hangul`]), then the combinations of each
/// syllable's spellings, without sound changes between syllables as names are written. The first
/// syllable takes its spellings from [`SURNAMES`] (and from [`GIVEN_SYLLABLES`] when it is not a
/// surname), the others from [`GIVEN_SYLLABLES`]; every syllable also tries its plain RR.
/// Surname spellings vary fastest, so they all survive the bound of [`MAX_SPELLINGS`]. A word of
/// more than [`MAX_NAME_SYLLABLES`] syllables gets just its RR spelling; a word without Hangul gets
/// none. Non-Hangul chars are skipped.
pub fn hangul_spellings(word: &str) -> Vec<String> {
    let mut syllables = ['\0'; MAX_NAME_SYLLABLES];
    let mut n = 0;
    for c in word.chars().filter(|&c| decompose(c).is_some()) {
        if n == MAX_NAME_SYLLABLES {
            return vec![romanise_hangul(word)];
        }
        syllables[n] = c;
        n += 1;
    }
    if n == 0 {
        return Vec::new();
    }
    let options: Vec<Vec<String>> = syllables[..n]
        .iter()
        .enumerate()
        .map(|(pos, &c)| {
            let is_surname = pos == 0 && SURNAMES.iter().any(|(k, _)| *k == c);
            syllable_spellings(c, if is_surname { SURNAMES } else { GIVEN_SYLLABLES })
        })
        .collect();
    let mut out = vec![romanise_hangul(word)];
    // An odometer over the options, the first syllable turning fastest.
    let mut idx = [0usize; MAX_NAME_SYLLABLES];
    'combos: while out.len() < MAX_SPELLINGS {
        let spelling: String = options.iter().zip(&idx).map(|(o, &i)| o[i].as_str()).collect();
        if !out.contains(&spelling) {
            out.push(spelling);
        }
        let mut pos = 0;
        loop {
            if pos == n {
                break 'combos;
            }
            idx[pos] += 1;
            if idx[pos] < options[pos].len() {
                break;
            }
            idx[pos] = 0;
            pos += 1;
        }
    }
    out
}

/// Hepburn romaji of the hiragana U+3041..=U+3096, small kana included (small ゃ is `ya`, small
/// ぁ `a`; [`romanise_kana`] joins them to the syllable before). っ is empty: it doubles the next
/// consonant. ゐ ゑ を are `i e o` as in modern Hepburn.
const KANA: [&str; 86] = [
    "a", "a", "i", "i", "u", "u", "e", "e", "o", "o", // ぁ..お
    "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go", // か..ご
    "sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo", // さ..ぞ
    "ta", "da", "chi", "ji", "", "tsu", "zu", "te", "de", "to", "do", // た..ど
    "na", "ni", "nu", "ne", "no", // な..の
    "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he", "be", "pe", "ho", "bo", "po", // は..ぽ
    "ma", "mi", "mu", "me", "mo", // ま..も
    "ya", "ya", "yu", "yu", "yo", "yo", // ゃ..よ
    "ra", "ri", "ru", "re", "ro", // ら..ろ
    "wa", "wa", "i", "e", "o", "n", "vu", "ka", "ke", // ゎ..ゖ
];

/// Katakana ヷ ヸ ヹ ヺ, which have no hiragana twin.
const KANA_V: [&str; 4] = ["va", "vi", "ve", "vo"];

/// The voiced twin of a hiragana (か → が, う → ゔ), for the voiced iteration mark ゞ.
fn voiced(c: char) -> char {
    const VOICEABLE: &str = "かきくけこさしすせそたちつてとはひふへほ";
    if VOICEABLE.contains(c) {
        char::from_u32(c as u32 + 1).unwrap_or(c)
    } else if c == 'う' {
        'ゔ'
    } else {
        c
    }
}

/// Joins a small kana to the syllable written from `start` on: キャ kya, シュ shu, クヮ kwa, ファ fa,
/// ティ ti, チェ che, ウィ wi, イェ ye, クォ kwo.
fn attach_small(out: &mut String, start: usize, small: char, roman: &str) {
    let base = &out[start..];
    let glide = matches!(small, 'ゃ' | 'ゅ' | 'ょ' | 'ゎ');
    if glide && small != 'ゎ' && (base.ends_with("shi") || base.ends_with("chi") || base.ends_with("ji")) {
        out.pop();
        out.push_str(&roman[1..]);
    } else if glide || base.len() > 1 {
        let labial = !glide && (base.ends_with("ku") || base.ends_with("gu")) && roman != "u";
        out.pop();
        if labial {
            out.push('w');
        }
        out.push_str(roman);
    } else {
        match base {
            "u" => out.replace_range(start.., "w"),
            "i" => out.replace_range(start.., "y"),
            _ => {}
        }
        out.push_str(roman);
    }
}

/// Hepburn romaji of a run of hiragana/katakana, lowercase: small ya/yu/yo combos (キャ kya,
/// シュ shu, ジョ jo), the sokuon ッ/っ doubling the next consonant (ッチ `tchi`), the long-vowel
/// mark ー dropped, ン/ん → `n` (also before b, m, p), the katakana extensions for foreign words
/// (ティ ti, ディ di, ファ fa, フィ fi, フェ fe, フォ fo, ウィ wi, ウェ we, ヴァ va, ヴィ vi, ヴ vu,
/// チェ che, シェ she, ジェ je, トゥ tu, ドゥ du), and the iteration marks ゝ ゞ ヽ ヾ. Vowels
/// written out are kept, so キョウト is `kyouto` (only ー lengthens silently). The middle dot ・
/// and the double hyphens ゠ ＝ that separate foreign names become a space. `None` if the word
/// contains any other char that is not kana (kanji, Latin, half-width katakana).
/// "ワシントン" → "washinton", "トヨタ" → "toyota", "サムスン" → "samusun".
pub fn romanise_kana(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    // Where the last syllable starts in `out`, while a small kana may still join it.
    let mut syllable: Option<usize> = None;
    let mut sokuon = false;
    // The last kana read (as hiragana), for the iteration marks.
    let mut prev: Option<char> = None;
    for c in word.chars() {
        let h = match c {
            '・' | '゠' | '＝' => {
                out.push(' ');
                (syllable, sokuon, prev) = (None, false, None);
                continue;
            }
            'ー' => {
                syllable = None;
                continue;
            }
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60)?,
            'ぁ'..='ゖ' => c,
            'ゝ' | 'ヽ' => match prev {
                Some(p) => p,
                None => continue,
            },
            'ゞ' | 'ヾ' => match prev {
                Some(p) => voiced(p),
                None => continue,
            },
            'ヷ'..='ヺ' => {
                if std::mem::take(&mut sokuon) {
                    out.push('v');
                }
                syllable = Some(out.len());
                out.push_str(KANA_V[c as usize - 'ヷ' as usize]);
                prev = None;
                continue;
            }
            _ => return None,
        };
        prev = Some(h);
        let roman = KANA[h as usize - 'ぁ' as usize];
        match h {
            'っ' => {
                sokuon = true;
                syllable = None;
            }
            'ん' => {
                out.push('n');
                (syllable, sokuon) = (None, false);
            }
            'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' => match syllable {
                Some(start) => attach_small(&mut out, start, h, roman),
                None => out.push_str(roman),
            },
            _ => {
                if std::mem::take(&mut sokuon) {
                    match roman.as_bytes()[0] {
                        b'a' | b'e' | b'i' | b'o' | b'u' => {}
                        _ if roman.starts_with("ch") => out.push('t'),
                        first => out.push(first as char),
                    }
                }
                syllable = Some(out.len());
                out.push_str(roman);
            }
        }
    }
    Some(out)
}

/// A Latin letter as lowercase ASCII, with accents (and full-width forms) folded away.
fn fold(c: char) -> Option<u8> {
    if c.is_ascii_alphabetic() {
        return Some(c.to_ascii_lowercase() as u8);
    }
    Some(match c {
        'À'..='Æ' | 'à'..='æ' | 'Ā'..='ą' => b'a',
        'Ç' | 'ç' | 'Ć'..='č' => b'c',
        'Ð' | 'ð' | 'Ď'..='đ' => b'd',
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => b'e',
        'Ĝ'..='ģ' => b'g',
        'Ĥ'..='ħ' => b'h',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' => b'i',
        'Ĵ' | 'ĵ' => b'j',
        'Ķ' | 'ķ' => b'k',
        'Ĺ'..='ł' => b'l',
        'Ñ' | 'ñ' | 'Ń'..='ň' => b'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='œ' => b'o',
        'Ŕ'..='ř' => b'r',
        'ß' | 'Ś'..='š' => b's',
        'Ţ'..='ŧ' => b't',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => b'u',
        'Ŵ' | 'ŵ' => b'w',
        'Ý' | 'ý' | 'ÿ' | 'Ŷ'..='Ÿ' => b'y',
        'Ź'..='ž' => b'z',
        'Ａ'..='Ｚ' => (c as u32 - 'Ａ' as u32) as u8 + b'a',
        'ａ'..='ｚ' => (c as u32 - 'ａ' as u32) as u8 + b'a',
        _ => return None,
    })
}

/// Vowels for the skeleton's context rules (`y` included: Mary, Byrne).
fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The consonant skeleton used to compare names across romanisations (see the module doc for the
/// classes): lowercase; accents folded; non-letters dropped; vowels, `y`, `w` and `h` dropped;
/// digraphs and letters mapped to the classes `c k m n p r s t`; a post-vocalic `r` before a
/// consonant or the end dropped; runs of one class collapsed. "Choi Young-ho" and "choeyeongho"
/// are both `cn`, "Washington" and "washinton" both `sntn`.
pub fn skeleton(s: &str) -> String {
    let letters: Vec<u8> = s.chars().filter_map(fold).collect();
    let mut out = String::with_capacity(letters.len() / 2 + 1);
    let mut push = |class: u8| {
        if out.as_bytes().last() != Some(&class) {
            out.push(class as char);
        }
    };
    let vowel_at = |j: usize| letters.get(j).copied().is_some_and(is_vowel);
    // Whether a vowel comes at `j`, looking past any `h` (Rhee, Burhan).
    let vowel_after =
        |j: usize| vowel_at(j + letters.get(j..).unwrap_or_default().iter().take_while(|&&b| b == b'h').count());
    // An `r` after a vowel and not before one is silent: Park, Sharp, Peter.
    let silent_r = |i: usize| i > 0 && vowel_at(i - 1) && !vowel_after(i + 1);
    let mut i = 0;
    while i < letters.len() {
        let (class, len): (&[u8], usize) = match &letters[i..] {
            [b't', b'c', b'h', ..] => (b"c", 3),
            [b's', b'c', b'h', ..] => (b"s", 3),
            [b'c', b'h', _, ..] if !vowel_after(i + 2) => (b"k", 2),
            [b'c', b'h', ..] => (b"c", 2),
            [b's' | b't', b'h', ..] => (b"s", 2),
            [b'p', b'h', ..] => (b"p", 2),
            [b'g', b'h', ..] if !vowel_at(i + 2) => (b"", 2),
            [b'n', b'g', ..] => (b"n", 2),
            [b'n', b'b' | b'p', ..] => (b"m", 1),
            [b'c', b'e' | b'i' | b'y', ..] => (b"s", 1),
            [b'r', ..] if silent_r(i) => (b"", 1),
            [b, ..] => (
                match *b {
                    b'b' | b'f' | b'p' | b'v' => b"p",
                    b'c' | b'g' | b'k' | b'q' => b"k",
                    b'd' | b't' => b"t",
                    b'j' | b'z' => b"c",
                    b'l' | b'r' => b"r",
                    b'm' => b"m",
                    b'n' => b"n",
                    b's' => b"s",
                    b'x' => b"ks",
                    _ => b"",
                },
                1,
            ),
            [] => break,
        };
        class.iter().for_each(|&b| push(b));
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether some spelling of the Hangul name has the skeleton of the Latin one.
    fn meets(hangul: &str, latin: &str) -> bool {
        let want = skeleton(latin);
        hangul_spellings(hangul).iter().any(|s| skeleton(s) == want)
    }

    fn kana_skeleton(kana: &str) -> String {
        skeleton(&romanise_kana(kana).unwrap())
    }

    #[test]
    fn hangul_romanises_syllable_by_syllable() {
        assert_eq!(romanise_hangul("최영호"), "choeyeongho");
        assert_eq!(romanise_hangul("가람"), "garam");
        assert_eq!(romanise_hangul("김민지"), "gimminji");
        assert_eq!(romanise_hangul("한빛"), "hanbit");
        assert_eq!(romanise_hangul("최 영호!"), "choeyeongho");
        assert_eq!(romanise_hangul("abc"), "");
    }

    #[test]
    fn hangul_sound_changes() {
        assert_eq!(romanise_hangul("신라"), "silla");
        assert_eq!(romanise_hangul("종로"), "jongno");
        assert_eq!(romanise_hangul("강릉"), "gangneung");
        assert_eq!(romanise_hangul("한라산"), "hallasan");
        assert_eq!(romanise_hangul("한국어"), "hangugeo");
        assert_eq!(romanise_hangul("선릉"), "seolleung");
        // Names keep their syllables: no nasalisation of k/t/p.
        assert_eq!(romanise_hangul("박민준"), "bakminjun");
        assert_eq!(skeleton(&romanise_hangul("박민준은")), skeleton("Park Min-jun"));
        // No sound change across a non-Hangul char.
        assert_eq!(romanise_hangul("신 라"), "sinra");
    }

    #[test]
    fn skeleton_examples() {
        assert_eq!(skeleton("choeyeongho"), skeleton("Choi Young-ho"));
        assert_eq!(skeleton("Choi Young-ho"), "cn");
        assert_eq!(skeleton("Washington"), "sntn");
        assert_eq!(skeleton("Park"), skeleton("bak"));
        assert_eq!(skeleton("oh"), skeleton("o"));
        assert_eq!(skeleton("Ahn"), skeleton("an"));
        assert_eq!(skeleton("Sohn"), skeleton("son"));
        assert_eq!(skeleton("Müller"), skeleton("Muller"));
        assert_eq!(skeleton("Ch'oe Yŏng-ho"), skeleton("choeyeongho"));
        assert_eq!(skeleton("Ｋｉｍ"), skeleton("kim"));
        assert_eq!(skeleton("Christopher"), skeleton(&romanise_kana("クリストファー").unwrap()));
        assert_eq!(skeleton("Alexander"), skeleton(&romanise_kana("アレクサンダー").unwrap()));
        assert_eq!(skeleton("Wright"), skeleton(&romanise_kana("ライト").unwrap()));
        assert_eq!(skeleton("Campbell"), skeleton(&romanise_kana("キャンベル").unwrap()));
        assert_eq!(skeleton("Zelensky"), skeleton(&romanise_hangul("젤렌스키")));
        assert_eq!(skeleton(""), "");
        assert_eq!(skeleton("—!? 123"), "");
    }

    #[test]
    fn skeleton_non_matches() {
        assert_ne!(skeleton("Kim"), skeleton("Park"));
        assert_ne!(skeleton("Garam"), skeleton("Busan"));
        assert_ne!(skeleton("Seoul"), skeleton("Busan"));
        assert_ne!(skeleton("Smith"), skeleton("Johnson"));
    }

    #[test]
    fn names_meet_their_english_spellings() {
        assert!(meets("김민지", "Kim Min-ji"));
        assert!(meets("이서연", "Lee Seo-yeon"));
        assert!(meets("이서연", "Yi Seo-yeon"));
        assert!(meets("박준호", "Park Joon-ho"));
        assert!(meets("정우성", "Jung Woo-sung"));
        assert!(meets("정우성", "Chung Woo-sung"));
        assert!(meets("윤하은", "Yoon Ha-eun"));
        assert!(meets("최영호", "Choi Young-ho"));
        assert!(meets("안철수", "Ahn Cheol-soo"));
        assert!(meets("이명박", "Lee Myung-bak"));
        assert!(meets("김", "Kim"));
        assert!(meets("남궁민", "Namgoong Min"));
        assert!(!meets("김민지", "Park Min-ji"));
    }

    #[test]
    fn spellings_are_bounded() {
        let lee = hangul_spellings("이서연");
        assert_eq!(lee[0], "iseoyeon");
        assert!(lee.contains(&"leeseoyeon".to_string()) && lee.contains(&"yiseoyeon".to_string()));
        for word in ["정우성현", "이영준수", "류정석철", "김"] {
            let all = hangul_spellings(word);
            assert!(!all.is_empty() && all.len() <= MAX_SPELLINGS, "{word}: {all:?}");
            let mut unique = all.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), all.len(), "{word}: {all:?}");
        }
        // Every surname spelling survives the bound.
        let long = hangul_spellings("이영준수");
        for s in ["lee", "yi", "rhee", "i"] {
            assert!(long.iter().any(|x| x.starts_with(s) && x[s.len()..].starts_with('y')), "{s}: {long:?}");
        }
        assert_eq!(hangul_spellings("대한민국정부"), vec!["daehanmingukjeongbu".to_string()]);
        assert!(hangul_spellings("abc").is_empty());
    }

    #[test]
    fn place_names_meet() {
        for (hangul, latin) in
            [("부산", "Busan"), ("가람", "Garam"), ("한빛", "Hanbit"), ("세종", "Sejong"), ("인천", "Incheon")]
        {
            assert_eq!(skeleton(&romanise_hangul(hangul)), skeleton(latin), "{hangul} {latin}");
        }
        assert_eq!(skeleton(&romanise_hangul("신라")), skeleton("Silla"));
    }

    #[test]
    fn kana_romanises() {
        assert_eq!(romanise_kana("ワシントン").as_deref(), Some("washinton"));
        assert_eq!(romanise_kana("トヨタ").as_deref(), Some("toyota"));
        assert_eq!(romanise_kana("サムスン").as_deref(), Some("samusun"));
        assert_eq!(romanise_kana("キョウト").as_deref(), Some("kyouto"));
        assert_eq!(romanise_kana("きょうと").as_deref(), Some("kyouto"));
        assert_eq!(romanise_kana("シャープ").as_deref(), Some("shapu"));
        assert_eq!(romanise_kana("ホッカイドウ").as_deref(), Some("hokkaidou"));
        assert_eq!(romanise_kana("マッチ").as_deref(), Some("matchi"));
        assert_eq!(romanise_kana("いすゞ").as_deref(), Some("isuzu"));
        assert_eq!(romanise_kana("ドナルド・トランプ").as_deref(), Some("donarudo toranpu"));
        assert_eq!(romanise_kana(""), Some(String::new()));
        assert_eq!(romanise_kana("漢字"), None);
        assert_eq!(romanise_kana("トヨタ自動車"), None);
        assert_eq!(romanise_kana("ｶﾅ"), None);
    }

    #[test]
    fn kana_combinations_and_extensions() {
        let cases = "\
            キャ=kya シュ=shu ジョ=jo チャ=cha ティ=ti ディ=di ファ=fa フィ=fi フェ=fe フォ=fo \
            ウィ=wi ウェ=we ウォ=wo イェ=ye ヴァ=va ヴィ=vi ヴ=vu チェ=che シェ=she ジェ=je \
            トゥ=tu ドゥ=du テュ=tyu クァ=kwa ッチャ=tcha ヷ=va ン=n";
        for (kana, roman) in cases.split_whitespace().filter_map(|pair| pair.split_once('=')) {
            assert_eq!(romanise_kana(kana).as_deref(), Some(roman), "{kana}");
        }
    }

    #[test]
    fn kana_names_meet() {
        let cases = "\
            ワシントン=Washington トヨタ=Toyota マイクロソフト=Microsoft スミス=Smith \
            ジョンソン=Johnson ベルリン=Berlin シャープ=Sharp キョウト=Kyoto サムスン=Samsung \
            シンガポール=Singapore ピーター=Peter";
        for (kana, latin) in cases.split_whitespace().filter_map(|pair| pair.split_once('=')) {
            assert_eq!(kana_skeleton(kana), skeleton(latin), "{kana} {latin}");
        }
        assert_ne!(kana_skeleton("トヨタ"), skeleton("Honda"));
    }

    #[test]
    fn long_input_is_cheap() {
        let hangul = "최영호".repeat(3_334);
        let kana = "ワシントン・ッキャー".repeat(1_000);
        let latin = "Choi Young-ho, Washington. ".repeat(370);
        let mixed: String = hangul.chars().zip(latin.chars()).flat_map(|(a, b)| [a, b]).collect();
        for text in [&hangul, &kana, &latin, &mixed] {
            let _ = romanise_hangul(text);
            assert!(hangul_spellings(text).len() <= 1);
            let _ = romanise_kana(text);
            let _ = skeleton(text);
        }
        assert!(romanise_kana(&kana).is_some());
    }
}
