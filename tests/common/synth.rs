//! A synthetic Korean→English news library, deterministic from a seed.
//!
//! Shared by `examples/gen_library.rs`, `benches/search.rs` and `tests/search.rs`, each of which
//! includes it with `#[path = "…/tests/common/synth.rs"] mod synth;`. It depends on nothing but
//! std, so it compiles the same way in all three.
//!
//! Article `i` of seed `s` is a function of `(s, i)` alone, so any slice of a library can be made
//! without making the rest. The text is stitched from parallel Korean/English phrase lists
//! (with correct 은/는, 이/가, 을/를 particles), so the two sides say the same thing and
//! searches have realistic selectivity: about 5% of articles are about a typhoon and mention
//! 태풍/typhoon, the rest never do.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A tiny xorshift64* generator, seeded through splitmix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_f491_4f6c_dd1d } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A Korean word or phrase and its English rendering.
type Pair = (&'static str, &'static str);

struct Topic {
    tag: &'static str,
    /// Percent weight among topics.
    weight: usize,
    nouns: &'static [Pair],
}

/// The topic tag of the rare topic, and the words only its articles contain.
pub const RARE_TAG: &str = "typhoon";
pub const RARE_KO: &str = "태풍";
pub const RARE_EN: &str = "typhoon";

const TOPICS: &[Topic] = &[
    Topic {
        tag: "typhoon",
        weight: 5,
        nouns: &[
            ("태풍", "the typhoon"),
            ("태풍 경보", "the typhoon warning"),
            ("강풍 피해", "wind damage"),
            ("대피소", "evacuation shelters"),
            ("해안 침수", "coastal flooding"),
            ("피해 복구", "typhoon recovery"),
        ],
    },
    Topic {
        tag: "economy",
        weight: 12,
        nouns: &[
            ("기준금리", "the base rate"),
            ("소비자물가", "consumer prices"),
            ("수출 실적", "export figures"),
            ("환율", "the exchange rate"),
            ("경제성장률", "the growth rate"),
            ("가계부채", "household debt"),
        ],
    },
    Topic {
        tag: "culture",
        weight: 9,
        nouns: &[
            ("전시회", "the exhibition"),
            ("영화제", "the film festival"),
            ("국악 공연", "the traditional music concert"),
            ("국립박물관", "the national museum"),
            ("문화유산", "cultural heritage"),
        ],
    },
    Topic {
        tag: "transport",
        weight: 9,
        nouns: &[
            ("지하철 연장", "the subway extension"),
            ("버스 노선", "bus routes"),
            ("고속철도", "high-speed rail"),
            ("교통 체증", "traffic congestion"),
            ("공항 확장", "the airport expansion"),
        ],
    },
    Topic {
        tag: "education",
        weight: 8,
        nouns: &[
            ("대학 입시", "university admissions"),
            ("사교육비", "private tutoring costs"),
            ("늘봄학교", "after-school care"),
            ("교원 정원", "teacher numbers"),
        ],
    },
    Topic {
        tag: "health",
        weight: 8,
        nouns: &[
            ("의대 정원", "medical school quotas"),
            ("응급실", "emergency rooms"),
            ("독감 백신", "flu vaccines"),
            ("건강보험", "national health insurance"),
        ],
    },
    Topic {
        tag: "environment",
        weight: 7,
        nouns: &[
            ("미세먼지", "fine dust"),
            ("탄소중립", "carbon neutrality"),
            ("재활용", "recycling"),
            ("폭염", "the heat wave"),
        ],
    },
    Topic {
        tag: "sports",
        weight: 8,
        nouns: &[
            ("프로야구", "professional baseball"),
            ("국가대표팀", "the national team"),
            ("마라톤 대회", "the marathon"),
            ("전국체전", "the National Sports Festival"),
        ],
    },
    Topic {
        tag: "politics",
        weight: 10,
        nouns: &[
            ("국정감사", "the parliamentary audit"),
            ("선거구 획정", "electoral redistricting"),
            ("예산안", "the budget bill"),
            ("개헌 논의", "the constitutional debate"),
        ],
    },
    Topic {
        tag: "technology",
        weight: 9,
        nouns: &[
            ("반도체", "semiconductors"),
            ("인공지능", "artificial intelligence"),
            ("전기차 배터리", "EV batteries"),
            ("개인정보 유출", "the data leak"),
        ],
    },
    Topic {
        tag: "housing",
        weight: 8,
        nouns: &[
            ("전세 사기", "jeonse fraud"),
            ("아파트 가격", "apartment prices"),
            ("재건축", "redevelopment"),
            ("공공임대", "public rental housing"),
        ],
    },
    Topic {
        tag: "diplomacy",
        weight: 7,
        nouns: &[
            ("정상회담", "the summit"),
            ("한일 관계", "Korea-Japan relations"),
            ("통상 협상", "trade talks"),
            ("비자 면제", "visa waivers"),
        ],
    },
];

/// Tags that may be added to an article beside its topic's (never the rare one).
const EXTRA_TAGS: &[&str] = &[
    "seoul",
    "busan",
    "incheon",
    "jeju",
    "weather",
    "climate",
    "finance",
    "trade",
    "labor",
    "welfare",
    "science",
    "energy",
    "tourism",
    "food",
    "crime",
    "agriculture",
    "film",
    "music",
    "defense",
    "elections",
];

const OUTLETS: &[&str] = &[
    "Hanbit Daily",
    "Seoul Evening Post",
    "Busan Harbor Times",
    "The Peninsula Observer",
    "Jeju Coastal News",
    "Capital Economic Review",
    "Daejeon Science Weekly",
    "Gwangju Morning Herald",
    "한빛일보",
    "서울저녁신문",
    "Incheon Gateway News",
    "Hangang Journal",
];

const SUBJECTS: &[Pair] = &[
    ("서울시", "the Seoul city government"),
    ("정부", "the government"),
    ("기획재정부", "the finance ministry"),
    ("한국은행", "the Bank of Korea"),
    ("경찰", "the police"),
    ("시민단체", "civic groups"),
    ("전문가들", "experts"),
    ("주민들", "residents"),
    ("국회", "the National Assembly"),
    ("기상청", "the Korea Meteorological Administration"),
    ("교육부", "the education ministry"),
    ("대통령실", "the presidential office"),
    ("부산시", "the Busan city government"),
    ("소방당국", "fire authorities"),
    ("연구진", "researchers"),
    ("업계", "the industry"),
    ("야당", "the opposition"),
    ("여당", "the ruling party"),
];

/// A place: Korean, the English preposition, the English name.
const PLACES: &[(&str, &str, &str)] = &[
    ("서울 시청", "at", "Seoul City Hall"),
    ("국회 의원회관", "at", "the National Assembly members' building"),
    ("부산 해운대", "in", "Haeundae, Busan"),
    ("광주", "in", "Gwangju"),
    ("대전", "in", "Daejeon"),
    ("인천 송도", "in", "Songdo, Incheon"),
    ("제주", "on", "Jeju Island"),
    ("세종 정부청사", "at", "the Sejong government complex"),
    ("서울 중구", "in", "Jung-gu, Seoul"),
    ("수원", "in", "Suwon"),
    ("강릉", "in", "Gangneung"),
    ("울산", "in", "Ulsan"),
];

const TIMES: &[Pair] = &[
    ("11일", "on the 11th"),
    ("지난주", "last week"),
    ("이날", "on the day"),
    ("오는 3월", "in March"),
    ("올해", "this year"),
    ("지난달 말", "late last month"),
    ("26일 오전", "on the morning of the 26th"),
    ("연말까지", "by the end of the year"),
];

/// Verbs taking an object: Korean predicate, English past tense.
const VERBS: &[Pair] = &[
    ("발표했다", "announced new plans for"),
    ("논의했다", "discussed"),
    ("점검했다", "inspected measures on"),
    ("재검토하기로 했다", "decided to review"),
    ("지원을 확대하기로 했다", "expanded support related to"),
    ("대책을 내놓았다", "unveiled measures on"),
    ("현황을 공개했다", "released figures on"),
    ("우려를 나타냈다", "voiced concern over"),
];

const ROLES: &[Pair] = &[
    ("대변인", "spokesperson"),
    ("교수", "professor"),
    ("국장", "director"),
    ("연구위원", "research fellow"),
    ("시장", "mayor"),
    ("장관", "minister"),
];

const ADJECTIVES: &[Pair] = &[
    ("가장 시급한 과제", "the most urgent task"),
    ("장기적으로 풀어야 할 문제", "a problem that needs a long-term answer"),
    ("시민의 안전과 직결된 사안", "a matter of public safety"),
    ("지역 경제에 큰 부담", "a heavy burden on the local economy"),
    ("새 정부의 시험대", "a test for the new administration"),
];

const SURNAMES: &[Pair] = &[
    ("김", "Kim"),
    ("이", "Lee"),
    ("박", "Park"),
    ("최", "Choi"),
    ("정", "Jung"),
    ("강", "Kang"),
    ("조", "Cho"),
    ("윤", "Yoon"),
];

const GIVEN: &[Pair] = &[
    ("민준", "Min-jun"),
    ("서연", "Seo-yeon"),
    ("지훈", "Ji-hoon"),
    ("하은", "Ha-eun"),
    ("도윤", "Do-yoon"),
    ("수빈", "Su-bin"),
    ("예준", "Ye-jun"),
    ("지민", "Ji-min"),
    ("현우", "Hyun-woo"),
    ("채원", "Chae-won"),
];

/// True if the last syllable of `word` ends in a consonant (has a 받침).
fn has_batchim(word: &str) -> bool {
    match word.chars().last() {
        Some(c @ '\u{ac00}'..='\u{d7a3}') => !(c as u32 - 0xac00).is_multiple_of(28),
        _ => false,
    }
}

/// `word` followed by the particle form that fits it: `josa("태풍", "이", "가")` is `태풍이`.
fn josa(word: &str, after_consonant: &str, after_vowel: &str) -> String {
    let particle = if has_batchim(word) { after_consonant } else { after_vowel };
    format!("{word}{particle}")
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One `[[paragraphs]]` entry. A side holding several paragraphs has them joined by a blank line.
pub struct Para {
    pub kind: &'static str,
    pub source: Option<String>,
    pub translation: Option<String>,
}

/// One synthetic article, as plain data.
pub struct Doc {
    /// `yyyy/mm/a0001234`
    pub id: String,
    pub title: String,
    pub source_title: String,
    pub outlet: &'static str,
    pub url: String,
    /// `2023-07-14` or an RFC 3339 date-time.
    pub published: String,
    pub authors: Vec<String>,
    pub translator: Option<String>,
    pub tags: Vec<&'static str>,
    pub summary: Option<String>,
    pub paragraphs: Vec<Para>,
}

/// The words of one article: its topic's nouns and a second topic's.
struct Ctx<'a> {
    main: &'a Topic,
    other: &'a Topic,
}

impl Ctx<'_> {
    fn noun(&self, rng: &mut Rng) -> Pair {
        if rng.chance(75) { *rng.pick(self.main.nouns) } else { *rng.pick(self.other.nouns) }
    }
}

fn sentence(rng: &mut Rng, ctx: &Ctx, ko: &mut String, en: &mut String) {
    let sep = |s: &mut String| {
        if !s.is_empty() {
            s.push(' ');
        }
    };
    sep(ko);
    sep(en);
    match rng.below(5) {
        0 | 1 => {
            let (s, s_en) = *rng.pick(SUBJECTS);
            let (t, t_en) = *rng.pick(TIMES);
            let (p, at, p_en) = *rng.pick(PLACES);
            let (o, o_en) = ctx.noun(rng);
            let (v, v_en) = *rng.pick(VERBS);
            let _ = write!(ko, "{} {t} {p}에서 {} 관련해 {v}.", josa(s, "은", "는"), josa(o, "과", "와"));
            let _ = write!(en, "{} {v_en} {o_en} {at} {p_en} {t_en}.", capitalize(s_en));
        }
        2 => {
            let (o, o_en) = ctx.noun(rng);
            let n = rng.range(2, 48);
            let tenth = rng.below(10);
            let (up, up_en) = if rng.chance(50) { ("증가했다", "rose") } else { ("감소했다", "fell") };
            let _ = write!(ko, "{o} 관련 지표는 전년 같은 기간보다 {n}.{tenth}% {up}.");
            let _ = write!(en, "Indicators for {o_en} {up_en} {n}.{tenth}% from the same period a year earlier.");
        }
        3 => {
            let (sur, sur_en) = *rng.pick(SURNAMES);
            let (given, given_en) = *rng.pick(GIVEN);
            let (role, role_en) = *rng.pick(ROLES);
            let (o, o_en) = ctx.noun(rng);
            let (a, a_en) = *rng.pick(ADJECTIVES);
            let speaker = josa(&format!("{sur}{given} {role}"), "은", "는");
            let _ = write!(ko, "{speaker} \"{} {} 될 것\"이라고 말했다.", josa(o, "은", "는"), josa(a, "이", "가"));
            let _ = write!(en, "\"{} will be {a_en},\" said {role_en} {sur_en} {given_en}.", capitalize(o_en));
        }
        _ => {
            let (p, at, p_en) = *rng.pick(PLACES);
            let (o, o_en) = ctx.noun(rng);
            let n = rng.range(3, 900);
            let _ = write!(ko, "{p}에서는 {o}에 대한 민원이 {n}건 접수됐다.");
            let _ = write!(en, "{} {p_en}, {n} complaints about {o_en} have been filed.", capitalize(at));
        }
    }
}

fn title(rng: &mut Rng, ctx: &Ctx) -> (String, String) {
    let (s, s_en) = *rng.pick(SUBJECTS);
    let (o, o_en) = *rng.pick(ctx.main.nouns);
    let (p, at, p_en) = *rng.pick(PLACES);
    match rng.below(4) {
        0 => (format!("{s}, {o} 대책 발표"), capitalize(&format!("{s_en} to announce measures on {o_en}"))),
        1 => (format!("{p}서 {o} 논의"), capitalize(&format!("{o_en} under discussion {at} {p_en}"))),
        2 => (format!("{} 바꾼 {p}의 일상", josa(o, "이", "가")), format!("How {o_en} changed daily life {at} {p_en}")),
        _ => (format!("{s} \"{o}, 면밀히 점검\""), capitalize(&format!("{s_en} to take a close look at {o_en}"))),
    }
}

fn pick_topic(rng: &mut Rng) -> &'static Topic {
    let total: usize = TOPICS.iter().map(|t| t.weight).sum();
    let mut n = rng.below(total);
    for t in TOPICS {
        if n < t.weight {
            return t;
        }
        n -= t.weight;
    }
    &TOPICS[TOPICS.len() - 1]
}

/// Article `i` of the library made from `seed`.
pub fn doc(seed: u64, i: usize) -> Doc {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let main = pick_topic(&mut rng);
    let other = loop {
        let t = rng.pick(TOPICS);
        if t.tag != RARE_TAG && t.tag != main.tag {
            break t;
        }
    };
    let ctx = Ctx { main, other };

    let year = rng.range(2015, 2025);
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    let id = format!("{year}/{month:02}/a{i:07}");
    let published = if rng.chance(30) {
        format!("{year}-{month:02}-{day:02}T{:02}:{:02}:00+09:00", rng.range(6, 22), rng.below(60))
    } else {
        format!("{year}-{month:02}-{day:02}")
    };

    let mut tags = vec![main.tag];
    for _ in 0..rng.below(3) {
        let t = *rng.pick(EXTRA_TAGS);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let outlet = *rng.pick(OUTLETS);
    let authors = (0..rng.range(1, 2))
        .map(|_| {
            let (s, _) = *rng.pick(SURNAMES);
            let (g, _) = *rng.pick(GIVEN);
            format!("{s}{g}")
        })
        .collect();
    let translator = rng.chance(40).then(|| {
        let (_, s_en) = *rng.pick(SURNAMES);
        let (_, g_en) = *rng.pick(GIVEN);
        format!("{g_en} {s_en}")
    });
    let (source_title, title) = title(&mut rng, &ctx);

    let mut paragraphs = Vec::new();
    let count = rng.range(22, 28);
    for n in 0..count {
        if n > 2 && n + 2 < count && rng.chance(6) {
            let (o, o_en) = ctx.noun(&mut rng);
            paragraphs.push(Para {
                kind: "heading",
                source: Some(format!("{o} 전망")),
                translation: Some(capitalize(&format!("the outlook for {o_en}"))),
            });
            continue;
        }
        let (mut ko, mut en) = (String::new(), String::new());
        for _ in 0..rng.range(2, 3) {
            sentence(&mut rng, &ctx, &mut ko, &mut en);
        }
        let kind = if rng.chance(5) { "quote" } else { "text" };
        // Now and then the translator merged two source paragraphs into one (a 2-1 group).
        if kind == "text" && rng.chance(4) {
            let mut en2 = en.clone();
            let mut ko2 = String::new();
            sentence(&mut rng, &ctx, &mut ko2, &mut en2);
            paragraphs.push(Para { kind, source: Some(format!("{ko}\n\n{ko2}")), translation: Some(en2) });
        } else {
            paragraphs.push(Para { kind, source: Some(ko), translation: Some(en) });
        }
    }
    // A photo caption; some translators leave captions out.
    let caption_ko = format!("{} 모습. 사진={outlet}", ctx.noun(&mut rng).0);
    let caption_en = rng.chance(70).then(|| format!("Photo: {outlet}"));
    paragraphs.push(Para { kind: "caption", source: Some(caption_ko), translation: caption_en });

    let summary = rng.chance(50).then(|| paragraphs[0].translation.clone().unwrap_or_default());
    let url = format!("https://news.example/{id}");
    Doc { id, title, source_title, outlet, url, published, authors, translator, tags, summary, paragraphs }
}

/// A TOML basic string, quoted.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Doc {
    /// The article file, in the `[[paragraphs]]` form of `docs/article-format.md`.
    pub fn to_toml(&self) -> String {
        let mut t = String::with_capacity(16 * 1024);
        let list = |v: &[&str]| v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(t, "title = {}", quote(&self.title));
        let _ = writeln!(t, "source_lang = \"ko\"\ntarget_lang = \"en\"");
        let _ = writeln!(t, "source_title = {}", quote(&self.source_title));
        let _ = writeln!(t, "outlet = {}", quote(self.outlet));
        let _ = writeln!(t, "url = {}", quote(&self.url));
        let _ = writeln!(t, "published = {}", self.published);
        let authors: Vec<&str> = self.authors.iter().map(String::as_str).collect();
        let _ = writeln!(t, "authors = [{}]", list(&authors));
        if let Some(tr) = &self.translator {
            let _ = writeln!(t, "translator = {}", quote(tr));
        }
        let _ = writeln!(t, "tags = [{}]", list(&self.tags));
        if let Some(s) = &self.summary {
            let _ = writeln!(t, "summary = {}", quote(s));
        }
        for p in &self.paragraphs {
            t.push_str("\n[[paragraphs]]\n");
            if p.kind != "text" {
                let _ = writeln!(t, "kind = \"{}\"", p.kind);
            }
            if let Some(s) = &p.source {
                let _ = writeln!(t, "source = {}", quote(s));
            }
            if let Some(s) = &p.translation {
                let _ = writeln!(t, "translation = {}", quote(s));
            }
        }
        t
    }

    /// Where the file goes under the library folder.
    pub fn rel_path(&self) -> String {
        format!("{}.toml", self.id)
    }

    /// True if this article is about the rare topic (and so mentions 태풍/typhoon).
    pub fn is_rare(&self) -> bool {
        self.tags.first() == Some(&RARE_TAG)
    }
}

/// The TOML text of article `i` of the library made from `seed`, and its id.
pub fn article_toml(seed: u64, i: usize) -> (String, String) {
    let d = doc(seed, i);
    (d.id.clone(), d.to_toml())
}
