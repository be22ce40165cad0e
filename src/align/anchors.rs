//! Anchors: the tokens of a paragraph that survive translation, read the same way from every
//! language so that `26조 원` meets `26 trillion won` and `3月5日` meets `March 5`.
//!
//! Each anchor is a short key with a prefix saying what it is:
//!
//! | key | what | from |
//! |---|---|---|
//! | `n:26000000000000` | a number's value | `26조`, `26 trillion`, `２６兆`, `thirty-two`, `1,011`, `三个`, `석 달` |
//! | `%:12.5` | a percentage | `12.5%`, `12,5 %`, `12.5 percent`, `12.5퍼센트` |
//! | `y:2024` | a year | `2024년`, `2024年`, a lone `2024` |
//! | `d:3-5`, `m:3`, `day:5` | a date, a month, a day of the month | `3월 5일`, `3月5日`, `March 5`, `5 de marzo`, `the 5th` |
//! | `t:15`, `t:15:30` | a time of day | `오후 3시`, `午後3時`, `下午3点`, `3 p.m.`, `15:30` |
//! | `wd:2` | a day of the week, Monday 1 | `Tuesday`, `화요일`, `火曜日`, `5일(화)`, `星期二`, `周二` |
//! | `k:prk` | a name's consonant skeleton ([`super::roman`]) | `박민준`, `Park Min-jun`, `ワシントン`, `Washington` |
//! | `w:mayor` | a role, institution or event of the lexicon (`LEXICON`) | `市長`, `시청`, `mayor` |
//! | `un`, `samsung` | a Latin-script name or acronym | `UN`, `Samsung` inside any text |
//! | `lixin`, `jiangchuan` | a Chinese given name or place in pinyin, met by the English spelling | `何立新`, `江川市` |
//! | `~festi` | the first five letters of a long Latin word (cognates) | `festival`, `Festival` |
//! | `"`, `?` | a quotation, a question | `“…”`, `「…」`, `?`, `？` |
//!
//! [`super::align`] keeps only the anchors found on both sides of an article and weighs each
//! by how informative its kind is ([`base_weight`]) and how rare it is within the article.

use super::roman;

/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month names and abbreviations of the European languages news comes in, with their number.
const MONTH_WORDS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // French
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // German
    ("januar", 1),
    ("februar", 2),
    ("marz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
    // Russian, in the genitive a date takes
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
];

/// English number words with their value; `magnitude` words multiply what came before.
const NUMBER_WORDS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Magnitude words after a number, in English and as abbreviated in news.
const MAGNITUDES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("bn", 1e9),
    ("trillion", 1e12),
    ("trillions", 1e12),
    // French, Spanish, German, Italian, Portuguese
    ("mille", 1e3),
    ("mil", 1e3),
    ("tausend", 1e3),
    ("million", 1e6),
    ("millones", 1e6),
    ("millón", 1e6),
    ("milhões", 1e6),
    ("milioni", 1e6),
    ("millionen", 1e6),
    ("mio", 1e6),
    ("milliard", 1e9),
    ("milliards", 1e9),
    ("milliarde", 1e9),
    ("milliarden", 1e9),
    ("mrd", 1e9),
    ("miliardi", 1e9),
    ("bilhões", 1e9),
    // Russian (`тыс.`, `млн`, `млрд` and the words, whatever their case ending)
    ("тыс", 1e3),
    ("млн", 1e6),
    ("миллион", 1e6),
    ("млрд", 1e9),
    ("миллиард", 1e9),
    // Thai, which writes no space after them (`3 ล้านบาท`); `พัน` is left out, as it also
    // starts other words (`พันธุ์`).
    ("พันล้าน", 1e9),
    ("ล้าน", 1e6),
    ("แสน", 1e5),
    ("หมื่น", 1e4),
];

/// Thai month names and their abbreviations, with their number.
const THAI_MONTHS: &[(&str, u32)] = &[
    ("มกราคม", 1),
    ("กุมภาพันธ์", 2),
    ("มีนาคม", 3),
    ("เมษายน", 4),
    ("พฤษภาคม", 5),
    ("มิถุนายน", 6),
    ("กรกฎาคม", 7),
    ("สิงหาคม", 8),
    ("กันยายน", 9),
    ("ตุลาคม", 10),
    ("พฤศจิกายน", 11),
    ("ธันวาคม", 12),
    ("ม.ค.", 1),
    ("ก.พ.", 2),
    ("มี.ค.", 3),
    ("เม.ย.", 4),
    ("พ.ค.", 5),
    ("มิ.ย.", 6),
    ("ก.ค.", 7),
    ("ส.ค.", 8),
    ("ก.ย.", 9),
    ("ต.ค.", 10),
    ("พ.ย.", 11),
    ("ธ.ค.", 12),
];

/// Korean particles and the honorific that follow a name (`최영호는`, `김민지 씨`).
const PARTICLES: &[char] = &['은', '는', '이', '가', '을', '를', '의', '도', '와', '과', '씨', '에', '께'];

/// A small bilingual lexicon of the roles, institutions and events news is made of, as hunalign
/// uses a dictionary: the Korean, Japanese and Chinese words are found inside the text, the
/// English ones as words (a final `s` dropped). Each concept becomes a `w:` anchor. Words that
/// mean two things (`시장`: a mayor and a market) are left out.
const LEXICON: &Words = &[
    ("mayor", &["市長", "市长"], &["mayor"]),
    ("governor", &["도지사", "知事", "省长"], &["governor"]),
    ("president", &["대통령", "大統領", "总统", "사장", "社長", "총재", "总裁"], &["president"]),
    ("chief", &["대표이사", "最高経営責任者", "首席执行官", "CEO"], &["ceo", "chief"]),
    ("chairman", &["회장", "会長", "董事长", "理事長"], &["chairman", "chairwoman", "chair"]),
    ("minister", &["장관", "大臣", "部长"], &["minister"]),
    ("premier", &["총리", "首相", "总理"], &["premier"]),
    ("professor", &["교수", "教授"], &["professor"]),
    ("police", &["경찰", "警察", "警方"], &["police", "officer"]),
    ("government", &["정부", "政府"], &["government"]),
    ("school", &["학교", "学校", "高校", "高中", "중학교", "中学"], &["school"]),
    ("student", &["학생", "生徒", "学生", "高校生", "高中生"], &["student", "pupil"]),
    ("teacher", &["교사", "教師", "教員", "教师", "老师"], &["teacher"]),
    ("hospital", &["병원", "病院", "医院"], &["hospital"]),
    ("doctor", &["의사", "医師", "医生"], &["doctor", "physician"]),
    ("factory", &["공장", "工場", "工厂"], &["factory", "plant"]),
    ("airport", &["공항", "空港", "机场"], &["airport"]),
    ("festival", &["축제", "祭り", "フェスティバル", "节日", "庆典"], &["festival"]),
    ("museum", &["박물관", "博物館", "博物馆", "미술관", "美術館", "美术馆"], &["museum", "gallery"]),
    ("library", &["도서관", "図書館", "图书馆"], &["library", "librarie"]),
    ("university", &["대학", "大学"], &["university", "college"]),
    ("election", &["선거", "選挙", "选举"], &["election", "vote"]),
    ("court", &["법원", "裁判所", "法院"], &["court", "judge"]),
    (
        "council",
        &["의회", "議会", "议会", "의원", "議員", "议员"],
        &["council", "councillor", "councilor", "assembly", "lawmaker"],
    ),
    ("resident", &["주민", "住民", "居民", "市民"], &["resident", "citizen"]),
    ("tourist", &["관광객", "観光客", "游客", "旅客"], &["tourist", "visitor", "traveler", "traveller"]),
    ("typhoon", &["태풍", "台風", "台风"], &["typhoon"]),
    ("earthquake", &["지진", "地震"], &["earthquake", "quake"]),
    ("heat", &["폭염", "猛暑", "高温", "酷暑"], &["heat", "heatwave"]),
    ("budget", &["예산", "予算", "预算"], &["budget"]),
    ("investment", &["투자", "投資", "投资"], &["investment", "invest", "investor"]),
    ("price", &["가격", "価格", "价格", "値段"], &["price"]),
    ("fare", &["요금", "運賃", "料金", "票价"], &["fare", "fee"]),
    ("subway", &["지하철", "地下鉄", "地铁"], &["subway", "metro"]),
    ("railway", &["철도", "鉄道", "铁路", "高铁", "列車", "列车", "열차"], &["railway", "railroad", "rail", "train"]),
    ("bus", &["버스", "バス", "公交", "巴士"], &["bus", "buse"]),
    ("conference", &["기자회견", "記者会見", "发布会", "记者会"], &["conference", "briefing"]),
    ("population", &["인구", "人口"], &["population"]),
    ("environment", &["환경", "環境", "环境"], &["environment", "environmental"]),
    ("electricity", &["전력", "電力", "电力", "정전", "停電", "停电"], &["electricity", "power", "blackout"]),
    ("semiconductor", &["반도체", "半導体", "半导体"], &["semiconductor", "chip"]),
    ("children", &["어린이", "子ども", "子供", "儿童", "孩子"], &["child", "children", "kid"]),
    ("farmer", &["농민", "농가", "農家", "农民"], &["farmer"]),
    ("tax", &["세금", "税金", "税收"], &["tax"]),
    ("hall", &["시청", "市役所", "市政府"], &["hall"]),
    ("startup", &["스타트업", "スタートアップ", "创业公司", "初创"], &["startup", "start-up"]),
    ("weather", &["기상청", "気象庁", "气象局", "气象台"], &["weather", "meteorological", "forecaster"]),
    ("fire", &["소방", "화재", "消防", "火災", "火事", "火灾"], &["fire", "firefighter", "blaze"]),
    ("prosecutor", &["검찰", "検察", "检察"], &["prosecutor", "prosecution"]),
    ("parliament", &["국회", "国会"], &["parliament", "diet", "congress"]),
    ("bank", &["은행", "銀行", "银行"], &["bank"]),
    ("export", &["수출", "輸出"], &["export"]),
    ("employment", &["일자리", "고용", "雇用", "就业"], &["job", "employment", "unemployment"]),
    ("housing", &["아파트", "주택", "マンション", "住宅", "住房", "公寓"], &["apartment", "housing"]),
    ("rain", &["폭우", "호우", "豪雨", "大雨", "暴雨"], &["rain", "rainfall", "downpour"]),
    ("snow", &["폭설", "大雪", "暴雪", "降雪"], &["snow", "snowfall"]),
    ("vaccine", &["백신", "ワクチン", "疫苗"], &["vaccine", "vaccination"]),
    ("accident", &["사고", "事故"], &["accident", "crash", "collision"]),
    ("exam", &["수능", "시험", "試験", "考试", "高考"], &["exam", "examination"]),
    ("exhibition", &["전시", "展示", "展覧会", "展览"], &["exhibition", "exhibit"]),
    ("concert", &["공연", "콘서트", "公演", "コンサート", "演出", "音乐会"], &["concert", "performance"]),
    ("stock", &["주가", "증시", "株価", "股市", "股价"], &["stock"]),
    ("oil", &["석유", "유가", "原油", "石油", "油价"], &["oil", "crude"]),
    ("climate", &["기후", "気候", "气候"], &["climate"]),
    ("nuclear", &["원전", "원자력", "原発", "原子力", "核电"], &["nuclear"]),
    ("military", &["국방", "자위대", "自衛隊", "防衛", "国防", "军队"], &["military", "defense", "defence", "army"]),
    ("missile", &["미사일", "ミサイル", "导弹"], &["missile"]),
    ("patient", &["환자", "患者", "病人"], &["patient"]),
    ("death", &["사망", "숨졌", "死亡", "死者", "亡くな"], &["died", "death", "dead", "killed"]),
    ("injury", &["부상", "다쳤", "負傷", "受伤"], &["injured", "injury", "wounded"]),
    ("summer", &["여름", "夏"], &["summer"]),
    ("winter", &["겨울", "冬"], &["winter"]),
    ("autumn", &["가을", "秋季", "秋天", "今秋", "秋に", "秋の"], &["autumn"]),
    ("spring", &["봄철", "올봄", "春季", "春天", "今春", "春に", "春の"], &["spring"]),
];

/// Places and family names written in kanji or hanzi, which no romanisation table reads (a
/// kanji has several readings): Japan's prefectures, large cities and commonest family names,
/// China's provinces and large cities, Korean cities as Chinese and Japanese write them. Each
/// becomes a `p:` anchor, found in the text by the longest match from left to right (so
/// `東京都` is Tokyo, not Kyoto) and on the English side as a capitalised word. Names that are
/// also common words (`大分`, `三重`, a surname of one character) are left out.
const GAZETTEER: &Words = &[
    // Japan: prefectures.
    ("hokkaido", &["北海道"], &["hokkaido"]),
    ("aomori", &["青森"], &["aomori"]),
    ("iwate", &["岩手"], &["iwate"]),
    ("miyagi", &["宮城"], &["miyagi"]),
    ("akita", &["秋田"], &["akita"]),
    ("yamagata", &["山形"], &["yamagata"]),
    ("fukushima", &["福島"], &["fukushima"]),
    ("ibaraki", &["茨城"], &["ibaraki"]),
    ("tochigi", &["栃木"], &["tochigi"]),
    ("gunma", &["群馬"], &["gunma"]),
    ("saitama", &["埼玉"], &["saitama"]),
    ("chiba", &["千葉"], &["chiba"]),
    ("tokyo", &["東京", "东京"], &["tokyo"]),
    ("kanagawa", &["神奈川"], &["kanagawa"]),
    ("niigata", &["新潟"], &["niigata"]),
    ("toyama", &["富山"], &["toyama"]),
    ("ishikawa", &["石川"], &["ishikawa"]),
    ("fukui", &["福井"], &["fukui"]),
    ("yamanashi", &["山梨"], &["yamanashi"]),
    ("nagano", &["長野"], &["nagano"]),
    ("gifu", &["岐阜"], &["gifu"]),
    ("shizuoka", &["静岡"], &["shizuoka"]),
    ("aichi", &["愛知"], &["aichi"]),
    ("shiga", &["滋賀"], &["shiga"]),
    ("kyoto", &["京都"], &["kyoto"]),
    ("osaka", &["大阪"], &["osaka"]),
    ("hyogo", &["兵庫"], &["hyogo"]),
    ("nara", &["奈良"], &["nara"]),
    ("wakayama", &["和歌山"], &["wakayama"]),
    ("tottori", &["鳥取"], &["tottori"]),
    ("shimane", &["島根"], &["shimane"]),
    ("okayama", &["岡山"], &["okayama"]),
    ("hiroshima", &["広島", "广岛"], &["hiroshima"]),
    ("yamaguchi", &["山口"], &["yamaguchi"]),
    ("tokushima", &["徳島"], &["tokushima"]),
    ("kagawa", &["香川"], &["kagawa"]),
    ("ehime", &["愛媛"], &["ehime"]),
    ("kochi", &["高知"], &["kochi"]),
    ("fukuoka", &["福岡"], &["fukuoka"]),
    ("saga", &["佐賀"], &["saga"]),
    ("nagasaki", &["長崎", "长崎"], &["nagasaki"]),
    ("kumamoto", &["熊本"], &["kumamoto"]),
    ("miyazaki", &["宮崎"], &["miyazaki"]),
    ("kagoshima", &["鹿児島"], &["kagoshima"]),
    ("okinawa", &["沖縄", "冲绳"], &["okinawa"]),
    // Japan: cities.
    ("sapporo", &["札幌"], &["sapporo"]),
    ("sendai", &["仙台"], &["sendai"]),
    ("yokohama", &["横浜", "横滨"], &["yokohama"]),
    ("kawasaki", &["川崎"], &["kawasaki"]),
    ("nagoya", &["名古屋"], &["nagoya"]),
    ("kobe", &["神戸", "神户"], &["kobe"]),
    ("kitakyushu", &["北九州"], &["kitakyushu"]),
    ("kanazawa", &["金沢"], &["kanazawa"]),
    ("naha", &["那覇"], &["naha"]),
    ("hakodate", &["函館"], &["hakodate"]),
    ("hamamatsu", &["浜松"], &["hamamatsu"]),
    ("kamakura", &["鎌倉"], &["kamakura"]),
    ("yokosuka", &["横須賀"], &["yokosuka"]),
    // Japan: family names.
    ("sato", &["佐藤"], &["sato", "satoh"]),
    ("suzuki", &["鈴木"], &["suzuki"]),
    ("takahashi", &["高橋"], &["takahashi"]),
    ("tanaka", &["田中"], &["tanaka"]),
    ("ito", &["伊藤"], &["ito", "itoh"]),
    ("watanabe", &["渡辺", "渡邊", "渡邉"], &["watanabe"]),
    ("yamamoto", &["山本"], &["yamamoto"]),
    ("nakamura", &["中村"], &["nakamura"]),
    ("kobayashi", &["小林"], &["kobayashi"]),
    ("kato", &["加藤"], &["kato", "katoh"]),
    ("yoshida", &["吉田"], &["yoshida"]),
    ("yamada", &["山田"], &["yamada"]),
    ("sasaki", &["佐々木"], &["sasaki"]),
    ("matsumoto", &["松本"], &["matsumoto"]),
    ("inoue", &["井上"], &["inoue"]),
    ("kimura", &["木村"], &["kimura"]),
    ("shimizu", &["清水"], &["shimizu"]),
    ("yamazaki", &["山崎"], &["yamazaki"]),
    ("ikeda", &["池田"], &["ikeda"]),
    ("hashimoto", &["橋本"], &["hashimoto"]),
    ("abe", &["阿部", "安倍"], &["abe"]),
    ("yamashita", &["山下"], &["yamashita"]),
    ("nakajima", &["中島"], &["nakajima", "nakashima"]),
    ("ishii", &["石井"], &["ishii"]),
    ("ogawa", &["小川"], &["ogawa"]),
    ("maeda", &["前田"], &["maeda"]),
    ("okada", &["岡田"], &["okada"]),
    ("hasegawa", &["長谷川"], &["hasegawa"]),
    ("fujita", &["藤田"], &["fujita"]),
    ("goto", &["後藤"], &["goto"]),
    ("kondo", &["近藤"], &["kondo"]),
    ("murakami", &["村上"], &["murakami"]),
    ("endo", &["遠藤"], &["endo"]),
    ("aoki", &["青木"], &["aoki"]),
    ("sakamoto", &["坂本"], &["sakamoto"]),
    ("saito", &["斎藤", "斉藤", "齋藤"], &["saito", "saitoh"]),
    ("fukuda", &["福田"], &["fukuda"]),
    ("ota", &["太田"], &["ota", "ohta"]),
    ("nishimura", &["西村"], &["nishimura"]),
    ("fujii", &["藤井"], &["fujii"]),
    ("okamoto", &["岡本"], &["okamoto"]),
    ("matsuda", &["松田"], &["matsuda"]),
    ("nakagawa", &["中川"], &["nakagawa"]),
    ("nakano", &["中野"], &["nakano"]),
    ("harada", &["原田"], &["harada"]),
    ("ono", &["小野", "大野"], &["ono", "ohno"]),
    ("tamura", &["田村"], &["tamura"]),
    ("takeuchi", &["竹内"], &["takeuchi"]),
    ("kaneko", &["金子"], &["kaneko"]),
    ("wada", &["和田"], &["wada"]),
    ("nakayama", &["中山"], &["nakayama"]),
    ("ishida", &["石田"], &["ishida"]),
    ("ueda", &["上田"], &["ueda"]),
    ("morita", &["森田"], &["morita"]),
    ("shibata", &["柴田"], &["shibata"]),
    ("sakai", &["酒井"], &["sakai"]),
    ("kudo", &["工藤"], &["kudo"]),
    ("yokoyama", &["横山"], &["yokoyama"]),
    ("miyamoto", &["宮本"], &["miyamoto"]),
    ("uchida", &["内田"], &["uchida"]),
    ("takagi", &["高木"], &["takagi"]),
    ("ando", &["安藤"], &["ando"]),
    ("taniguchi", &["谷口"], &["taniguchi"]),
    ("maruyama", &["丸山"], &["maruyama"]),
    ("imai", &["今井"], &["imai"]),
    ("kono", &["河野"], &["kono"]),
    ("fujiwara", &["藤原"], &["fujiwara"]),
    ("kishida", &["岸田"], &["kishida"]),
    ("ishiba", &["石破"], &["ishiba"]),
    ("noda", &["野田"], &["noda"]),
    ("matsui", &["松井"], &["matsui"]),
    ("kikuchi", &["菊地", "菊池"], &["kikuchi"]),
    ("noguchi", &["野口"], &["noguchi"]),
    ("arai", &["新井"], &["arai"]),
    ("sugiyama", &["杉山"], &["sugiyama"]),
    ("sakurai", &["桜井", "櫻井"], &["sakurai"]),
    ("kinoshita", &["木下"], &["kinoshita"]),
    ("matsuo", &["松尾"], &["matsuo"]),
    ("nomura", &["野村"], &["nomura"]),
    ("sugawara", &["菅原"], &["sugawara"]),
    ("ichikawa", &["市川"], &["ichikawa"]),
    ("komatsu", &["小松"], &["komatsu"]),
    ("kubo", &["久保"], &["kubo"]),
    ("matsushita", &["松下"], &["matsushita"]),
    ("iwasaki", &["岩崎"], &["iwasaki"]),
    ("sugimoto", &["杉本"], &["sugimoto"]),
    ("sano", &["佐野"], &["sano"]),
    ("otsuka", &["大塚"], &["otsuka", "ohtsuka"]),
    ("ueno", &["上野"], &["ueno"]),
    ("nakanishi", &["中西"], &["nakanishi"]),
    ("kitamura", &["北村"], &["kitamura"]),
    ("koyama", &["小山"], &["koyama"]),
    ("takada", &["高田"], &["takada"]),
    ("furukawa", &["古川"], &["furukawa"]),
    ("nakata", &["中田"], &["nakata"]),
    ("yokota", &["横田"], &["yokota"]),
    ("koike", &["小池"], &["koike"]),
    ("onishi", &["大西"], &["onishi", "ohnishi"]),
    ("okazaki", &["岡崎"], &["okazaki"]),
    ("yasuda", &["安田"], &["yasuda"]),
    ("yoshikawa", &["吉川"], &["yoshikawa"]),
    ("yamauchi", &["山内"], &["yamauchi"]),
    ("nishida", &["西田"], &["nishida"]),
    ("kawaguchi", &["川口"], &["kawaguchi"]),
    ("matsuoka", &["松岡"], &["matsuoka"]),
    ("shimada", &["島田"], &["shimada"]),
    ("mizuno", &["水野"], &["mizuno"]),
    ("kuwabara", &["桑原"], &["kuwabara"]),
    ("takeda", &["武田"], &["takeda"]),
    ("murata", &["村田"], &["murata"]),
    ("konishi", &["小西"], &["konishi"]),
    ("masuda", &["増田"], &["masuda"]),
    ("oda", &["小田"], &["oda", "ohda"]),
    ("asano", &["浅野"], &["asano"]),
    ("honda", &["本田"], &["honda"]),
    ("nakao", &["中尾"], &["nakao"]),
    ("hoshino", &["星野"], &["hoshino"]),
    ("araki", &["荒木"], &["araki"]),
    ("okubo", &["大久保"], &["okubo", "ohkubo"]),
    ("katayama", &["片山"], &["katayama"]),
    ("matsumura", &["松村"], &["matsumura"]),
    ("aoyama", &["青山"], &["aoyama"]),
    ("hattori", &["服部"], &["hattori"]),
    ("higuchi", &["樋口"], &["higuchi"]),
    ("nagai", &["永井"], &["nagai"]),
    ("matsuura", &["松浦"], &["matsuura"]),
    ("morimoto", &["森本"], &["morimoto"]),
    ("taguchi", &["田口"], &["taguchi"]),
    ("takano", &["高野"], &["takano"]),
    ("oshima", &["大島"], &["oshima", "ohshima"]),
    ("iwata", &["岩田"], &["iwata"]),
    ("yoshimura", &["吉村"], &["yoshimura"]),
    ("sekiguchi", &["関口"], &["sekiguchi"]),
    ("naito", &["内藤"], &["naito", "naitoh"]),
    ("akiyama", &["秋山"], &["akiyama"]),
    ("ishihara", &["石原"], &["ishihara"]),
    ("miyata", &["宮田"], &["miyata"]),
    ("kojima", &["小島"], &["kojima"]),
    ("imamura", &["今村"], &["imamura"]),
    ("nishikawa", &["西川"], &["nishikawa"]),
    ("kubota", &["久保田"], &["kubota"]),
    ("hirata", &["平田"], &["hirata"]),
    ("kawakami", &["川上"], &["kawakami"]),
    ("takayama", &["高山"], &["takayama"]),
    ("nakamoto", &["中本"], &["nakamoto"]),
    ("miura", &["三浦"], &["miura"]),
    ("kawamura", &["川村"], &["kawamura"]),
    // China: provinces, regions and cities (simplified, and traditional or Japanese forms).
    ("beijing", &["北京"], &["beijing"]),
    ("shanghai", &["上海"], &["shanghai"]),
    ("tianjin", &["天津"], &["tianjin"]),
    ("chongqing", &["重庆", "重慶"], &["chongqing"]),
    ("guangzhou", &["广州", "廣州", "広州"], &["guangzhou"]),
    ("shenzhen", &["深圳"], &["shenzhen"]),
    ("hangzhou", &["杭州"], &["hangzhou"]),
    ("nanjing", &["南京"], &["nanjing"]),
    ("wuhan", &["武汉", "武漢"], &["wuhan"]),
    ("chengdu", &["成都"], &["chengdu"]),
    ("suzhou", &["苏州", "蘇州"], &["suzhou"]),
    ("hong kong", &["香港"], &["hong"]),
    ("macau", &["澳门", "澳門"], &["macau", "macao"]),
    ("taiwan", &["台湾", "臺灣", "台灣"], &["taiwan"]),
    ("guangdong", &["广东", "廣東", "広東"], &["guangdong"]),
    ("zhejiang", &["浙江"], &["zhejiang"]),
    ("jiangsu", &["江苏", "江蘇"], &["jiangsu"]),
    ("sichuan", &["四川"], &["sichuan"]),
    ("hubei", &["湖北"], &["hubei"]),
    ("hunan", &["湖南"], &["hunan"]),
    ("henan", &["河南"], &["henan"]),
    ("hebei", &["河北"], &["hebei"]),
    ("shandong", &["山东", "山東"], &["shandong"]),
    ("shanxi", &["山西"], &["shanxi"]),
    ("shaanxi", &["陕西", "陝西"], &["shaanxi"]),
    ("fujian", &["福建"], &["fujian"]),
    ("yunnan", &["云南", "雲南"], &["yunnan"]),
    ("guizhou", &["贵州", "貴州"], &["guizhou"]),
    ("guangxi", &["广西", "廣西"], &["guangxi"]),
    ("hainan", &["海南"], &["hainan"]),
    ("xinjiang", &["新疆"], &["xinjiang"]),
    ("tibet", &["西藏"], &["tibet", "xizang"]),
    ("mongolia", &["内蒙古", "內蒙古"], &["mongolia"]),
    ("heilongjiang", &["黑龙江", "黑龍江"], &["heilongjiang"]),
    ("jilin", &["吉林"], &["jilin"]),
    ("liaoning", &["辽宁", "遼寧"], &["liaoning"]),
    ("anhui", &["安徽"], &["anhui"]),
    ("jiangxi", &["江西"], &["jiangxi"]),
    ("gansu", &["甘肃", "甘肅"], &["gansu"]),
    ("qinghai", &["青海"], &["qinghai"]),
    ("ningxia", &["宁夏", "寧夏"], &["ningxia"]),
    ("qingdao", &["青岛", "青島"], &["qingdao"]),
    ("dalian", &["大连", "大連"], &["dalian"]),
    ("xiamen", &["厦门", "廈門"], &["xiamen"]),
    ("shenyang", &["沈阳", "瀋陽"], &["shenyang"]),
    ("harbin", &["哈尔滨", "哈爾濱"], &["harbin"]),
    ("changsha", &["长沙", "長沙"], &["changsha"]),
    ("zhengzhou", &["郑州", "鄭州"], &["zhengzhou"]),
    ("kunming", &["昆明"], &["kunming"]),
    ("hefei", &["合肥"], &["hefei"]),
    ("jinan", &["济南", "濟南"], &["jinan"]),
    ("fuzhou", &["福州"], &["fuzhou"]),
    ("ningbo", &["宁波", "寧波"], &["ningbo"]),
    ("wuxi", &["无锡", "無錫"], &["wuxi"]),
    ("dongguan", &["东莞", "東莞"], &["dongguan"]),
    ("foshan", &["佛山"], &["foshan"]),
    ("zhuhai", &["珠海"], &["zhuhai"]),
    // Korea, as Chinese and Japanese write it.
    ("seoul", &["首尔", "首爾"], &["seoul"]),
    ("busan", &["釜山"], &["busan", "pusan"]),
    ("incheon", &["仁川"], &["incheon"]),
    ("daegu", &["大邱"], &["daegu"]),
    ("jeju", &["济州", "濟州", "済州"], &["jeju"]),
    ("pyongyang", &["平壤", "平壌"], &["pyongyang"]),
];

/// The gazetteer's places and names in a Chinese or Japanese text, each once, by the longest
/// match from left to right (every one starts with a Han character).
fn cjk_places(text: &str, out: &mut Vec<String>) {
    static TABLE: std::sync::OnceLock<CjkWords> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = cjk_words(GAZETTEER);
        // The longest first, so that the first match is the longest.
        for words in table.values_mut() {
            words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        table
    });
    let mut found: Vec<&str> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Han characters (U+3400..U+9FFF) start with bytes E3..E9 in UTF-8, which never
        // continue a character: everything else is passed over a byte at a time.
        if !(0xe3..=0xe9).contains(&bytes[at]) {
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else { break };
        if !is_han(c) {
            at += c.len_utf8();
            continue;
        }
        let word = table.get(&c).into_iter().flatten().find(|(w, _)| text[at..].starts_with(w));
        match word {
            Some((w, name)) => {
                if !found.contains(name) {
                    found.push(name);
                }
                at += w.len();
            }
            None => at += c.len_utf8(),
        }
    }
    out.extend(found.into_iter().map(|name| tagged("p:", name)));
}

/// The gazetteer's place or name for a capitalised English word (in lower case).
fn english_place(word: &str) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<EnglishWords> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| english_words(GAZETTEER)).get(word).copied()
}

/// A table of keys with their Korean, Japanese or Chinese words and their English ones (the
/// lexicon, the gazetteer).
type Words = [(&'static str, &'static [&'static str], &'static [&'static str])];

/// Each English word of a table, to its key.
type EnglishWords = foldhash::HashMap<&'static str, &'static str>;

fn english_words(table: &'static Words) -> EnglishWords {
    let mut words = EnglishWords::default();
    for (key, _, english) in table {
        for w in *english {
            words.entry(*w).or_insert(*key);
        }
    }
    words
}

/// Each Korean, Japanese or Chinese word of a table with its key, by the word's first character.
type CjkWords = foldhash::HashMap<char, Vec<(&'static str, &'static str)>>;

fn cjk_words(table: &'static Words) -> CjkWords {
    let mut words = CjkWords::default();
    for (key, cjk, _) in table {
        for w in *cjk {
            if let Some(first) = w.chars().next() {
                words.entry(first).or_default().push((w, key));
            }
        }
    }
    words
}

/// The lexicon's concepts found in a Korean, Japanese or Chinese text, each once: one pass over
/// the text, looking up the words that start with each character in a table built once.
fn cjk_concepts(text: &str, out: &mut Vec<String>) {
    static TABLE: std::sync::OnceLock<CjkWords> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| cjk_words(LEXICON));
    let mut found: Vec<&str> = Vec::new();
    for (at, c) in text.char_indices() {
        if c.is_ascii() {
            continue;
        }
        for (word, concept) in table.get(&c).into_iter().flatten() {
            if text[at..].starts_with(word) && !found.contains(concept) {
                found.push(concept);
            }
        }
    }
    out.extend(found.into_iter().map(|c| format!("w:{c}")));
}

/// The lexicon's concept for an English word, through a table built once.
fn english_concept(word: &str) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<EnglishWords> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| english_words(LEXICON)).get(word).copied()
}

/// Nouns an English ordinal counts (`the 27th minute`): not a day of the month.
const ORDINAL_COUNTERS: &[&str] = &[
    "minute",
    "place",
    "time",
    "anniversary",
    "floor",
    "century",
    "round",
    "edition",
    "straight",
    "consecutive",
    "year",
    "week",
    "day",
    "stage",
    "lap",
    "seed",
    "game",
    "match",
    "season",
    "birthday",
    "largest",
    "biggest",
];

/// Words after a number that make it a percentage.
const PERCENT_WORDS: &[&str] =
    &["percent", "per cent", "pour cent", "por ciento", "por cento", "prozent", "per cento", "процент", "เปอร์เซ็นต์"];

/// Anchors of one paragraph, in the order found.
pub fn anchors(text: &str) -> Vec<String> {
    anchors_with(text, true, true, true, true)
}

/// [`anchors`], with name skeletons (`k:`) only when `names` is set (between two Latin-script
/// texts the words themselves meet, and skeletons would only add chance matches), cognates
/// (`~festi`) only when `cognates` is (they tie Latin-script languages together, nothing else)
/// the lexicon's words (`w:`) only when `lexicon` is (a side is Korean, Japanese or Chinese),
/// and the pinyin of every two and three Han characters (`jiangchuan` for `江川`, to meet the
/// English spelling of a Chinese name) only when `pinyin` is (a side is Chinese).
pub fn anchors_with(text: &str, names: bool, cognates: bool, lexicon: bool, pinyin: bool) -> Vec<String> {
    let mut scan = Scan {
        chars: Vec::with_capacity(text.len()),
        i: 0,
        out: Vec::with_capacity(16),
        clock: None,
        names,
        cognates,
        lexicon,
        pinyin,
        thai: false,
        pinyin_keys: 0,
        lower: String::new(),
        folded: String::new(),
    };
    // The text's chars, normalised (at most one a byte: one allocation, not a growing one),
    // and whether it quotes or asks.
    let (mut quote, mut question) = (false, false);
    for c in text.chars() {
        if c.is_ascii() {
            quote |= c == '"';
            question |= c == '?';
            scan.chars.push(c);
        } else {
            scan.thai |= is_thai(c);
            match c {
                '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』' => quote = true,
                '？' => question = true,
                _ => {}
            }
            scan.chars.push(normalise_char(c));
        }
    }
    scan.run();
    // A full date is also its day of the month: one side often says `28일` or `the 28th` where
    // the other says `July 28`.
    let days: Vec<String> =
        scan.out.iter().filter_map(|k| Some(format!("day:{}", k.strip_prefix("d:")?.split_once('-')?.1))).collect();
    scan.out.extend(days);
    // A small number said twice in a paragraph is usually one thing said twice (`2명은…
    // 두 사람`): it counts once.
    let mut small: u16 = 0;
    scan.out.retain(|k| match k.strip_prefix("n:").and_then(|v| v.parse::<u8>().ok()).filter(|&v| v < 10) {
        Some(v) => {
            small & (1 << v) == 0 && {
                small |= 1 << v;
                true
            }
        }
        None => true,
    });
    if lexicon {
        cjk_concepts(text, &mut scan.out);
        cjk_places(text, &mut scan.out);
        // A concept or a place counts once a paragraph, however often either language repeats
        // its word.
        let mut seen: Vec<String> = Vec::new();
        scan.out.retain(|k| {
            !(k.starts_with("w:") || k.starts_with("p:"))
                || (!seen.contains(k) && {
                    seen.push(k.clone());
                    true
                })
        });
    }
    if quote {
        scan.out.push("\"".to_string());
    }
    if question {
        scan.out.push("?".to_string());
    }
    scan.out
}

/// How much an anchor of this kind says about a pair, before its rarity in the article.
pub fn base_weight(key: &str) -> f64 {
    let (kind, rest) = key.split_once(':').unwrap_or(("", key));
    match kind {
        "n" => match rest.parse::<f64>() {
            Ok(v) if v < 10.0 => 0.4,
            Ok(v) if v < 100.0 => 0.8,
            Ok(v) if v < 1000.0 => 1.1,
            _ => 1.4,
        },
        "%" => 1.4,
        "y" => 1.0,
        "d" => 1.6,
        "m" => 0.6,
        "day" | "wd" => 0.8,
        "t" => 1.2,
        "w" => 0.8,
        "k" => {
            if rest.len() >= 4 {
                1.5
            } else if rest.len() == 3 {
                1.0
            } else {
                0.7
            }
        }
        _ if key.starts_with("http") || key.starts_with("www.") => 2.0,
        _ if key.starts_with('~') => 0.6,
        _ if key == "\"" || key == "?" => 0.5,
        _ if key.starts_with('#') => 1.0,
        _ => 1.2,
    }
}

/// Full-width digits and letters read as ASCII; typographic apostrophes as `'`.
fn normalise_char(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '％' => '%',
        '๐'..='๙' => char::from_u32(c as u32 - 0x0E50 + 0x30).unwrap_or(c),
        '．' => '.',
        '，' => ',',
        '：' => ':',
        '’' => '\'',
        _ => c,
    }
}

struct Scan {
    chars: Vec<char>,
    i: usize,
    out: Vec<String>,
    /// A `오후`/`午後`/`p.m.`-style half of the day seen just before a number: 0 or 12.
    clock: Option<u32>,
    /// Whether to read names' skeletons, cognates, and the lexicon's English words.
    names: bool,
    pinyin: bool,
    cognates: bool,
    lexicon: bool,
    /// The text has Thai in it: a year is in the Buddhist era (2567 is 2024).
    thai: bool,
    /// Pinyin keys read so far (at most [`MAX_PINYIN_KEYS`]).
    pinyin_keys: usize,
    /// Buffers kept between words.
    lower: String,
    folded: String,
}

impl Scan {
    fn run(&mut self) {
        while self.i < self.chars.len() {
            let c = self.chars[self.i];
            if c.is_ascii_digit() {
                self.number();
            } else if is_latin_letter(c) {
                self.latin_word();
            } else if is_hangul(c) {
                self.hangul_word();
            } else if is_kana(c) {
                self.kana_word();
            } else if is_han(c) {
                self.han();
            } else if c.is_alphabetic() {
                self.other_word();
            } else {
                self.i += 1;
            }
        }
    }

    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    /// Whether the text at the cursor (after up to one space) starts with `word`; returns the
    /// number of chars to skip.
    fn after_space_starts(&self, word: &str) -> Option<usize> {
        let mut k = 0;
        if self.peek(0) == Some(' ') {
            k = 1;
        }
        let mut n = 0;
        for w in word.chars() {
            if self.peek(k + n)? != w {
                return None;
            }
            n += 1;
        }
        Some(k + n)
    }

    /// A run of digits with its separators, then whatever makes it a date, time, percentage,
    /// year or a number with a magnitude.
    fn number(&mut self) {
        let start = self.i;
        let (value, plain, digits) = self.digits();
        let integral = value.fract() == 0.0;
        let small = integral && value <= 31.0;
        // Korean and CJK date and time units.
        match self.peek(0) {
            Some('월' | '月') if integral && (1.0..=12.0).contains(&value) => {
                self.i += 1;
                let month = value as u32;
                let save = self.i;
                if self.peek(0) == Some(' ') {
                    self.i += 1;
                }
                if self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    let (day, _, _) = self.digits();
                    if matches!(self.peek(0), Some('일' | '日' | '号' | '號')) && (1.0..=31.0).contains(&day) {
                        self.i += 1;
                        self.out.push(format!("d:{month}-{}", day as u32));
                        self.weekday_in_brackets();
                        return;
                    }
                }
                self.i = save;
                self.out.push(format!("m:{month}"));
                return;
            }
            Some('일' | '日' | '号' | '號') if small && value >= 1.0 => {
                self.i += 1;
                self.out.push(format!("day:{}", value as u32));
                self.weekday_in_brackets();
                return;
            }
            Some('시' | '時' | '时' | '点' | '點') if integral && value <= 24.0 => {
                self.i += 1;
                let mut hour = value as u32;
                if let Some(half) = self.clock.take()
                    && hour < 12
                {
                    hour += half;
                }
                let mut key = format!("t:{hour}");
                if self.peek(0) == Some(' ') && self.peek(1).is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                if self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    let save = self.i;
                    let (minutes, _, _) = self.digits();
                    if matches!(self.peek(0), Some('분' | '分')) && minutes > 0.0 && minutes < 60.0 {
                        self.i += 1;
                        key = format!("t:{hour}:{:02}", minutes as u32);
                    } else {
                        self.i = save;
                    }
                } else if self.peek(0) == Some('반') || self.peek(0) == Some('半') {
                    self.i += 1;
                    key = format!("t:{hour}:30");
                }
                self.out.push(key);
                return;
            }
            Some('년' | '年') if plain && integral && (1000.0..=2200.0).contains(&value) => {
                self.i += 1;
                self.out.push(format!("y:{}", value as u32));
                return;
            }
            _ => {}
        }
        // A clock time: 15:30, 3:30 p.m.
        if plain && integral && value <= 24.0 && self.peek(0) == Some(':') && self.digit_at(1) && self.digit_at(2) {
            self.i += 1;
            let (minutes, _, _) = self.digits();
            let mut hour = value as u32;
            if let Some(add) = self.meridiem()
                && hour < 12
            {
                hour += add;
            }
            self.out.push(if minutes == 0.0 { format!("t:{hour}") } else { format!("t:{hour}:{:02}", minutes as u32) });
            return;
        }
        // `3 p.m.`
        if plain && integral && (1.0..=12.0).contains(&value) {
            let save = self.i;
            if let Some(add) = self.meridiem() {
                let hour = value as u32 % 12 + add;
                self.out.push(format!("t:{hour}"));
                return;
            }
            self.i = save;
        }
        // `on the 20th`: a day of the month; `the 27th minute`: an ordinal number.
        for suffix in ["st", "nd", "rd", "th"] {
            if value >= 1.0
                && integral
                && let Some(k) = self.starts_with_word(suffix)
            {
                let start = self.i;
                self.i += k;
                let before: String = self.chars[start.saturating_sub(digits + 5)..start - digits].iter().collect();
                let after = self.next_word();
                let day = small
                    && (before.ends_with("the ") || before.ends_with("on "))
                    && !ORDINAL_COUNTERS.contains(&after.as_str());
                self.out.push(if day { format!("day:{}", value as u32) } else { format!("n:{}", value as u32) });
                return;
            }
        }
        // `5 March`, `5 de marzo`, `3 novembre`
        if small && value >= 1.0 && plain {
            let save = self.i;
            if self.peek(0) == Some(' ') {
                self.i += 1;
                if self.starts_with_word("de").is_some() {
                    self.i += 3;
                }
                if self.peek(0) == Some('.') {
                    self.i += 1;
                }
                if let Some((month, len)) = self.month_word() {
                    self.i += len;
                    self.out.push(format!("d:{month}-{}", value as u32));
                    return;
                }
            }
            self.i = save;
            if self.thai
                && let Some((k, month)) = THAI_MONTHS.iter().find_map(|&(m, n)| Some((self.after_space_starts(m)?, n)))
            {
                self.i += k;
                self.out.push(format!("d:{month}-{}", value as u32));
                return;
            }
        }
        // A magnitude: CJK units (with Korean and Chinese compounds such as 1억 2천만, 3조
        // 2천억), or words.
        let mut value = value;
        let mut magnitude = false;
        if let Some(total) = self.cjk_units(value) {
            value = total;
            magnitude = true;
        } else {
            for &(word, m) in MAGNITUDES {
                if let Some(k) = self.word_after_space(word) {
                    self.i += k;
                    value *= m;
                    magnitude = true;
                    break;
                }
            }
        }
        if self.percent() || (self.thai && self.after("ร้อยละ", start)) {
            self.out.push(format!("%:{}", canonical(value)));
            return;
        }
        if !magnitude && plain && integral && digits == 4 && (1800.0..=2100.0).contains(&value) {
            self.out.push(format!("y:{}", value as u32));
            return;
        }
        // A Buddhist-era year in Thai text: 543 years ahead.
        if self.thai && !magnitude && plain && integral && digits == 4 && (2343.0..=2643.0).contains(&value) {
            self.out.push(format!("y:{}", value as u32 - 543));
            return;
        }
        self.out.push(format!("n:{}", canonical(value)));
    }

    /// A day of the week in brackets after a date, as Korean and Japanese write it: `5일(화)`,
    /// `3月5日（火）`.
    fn weekday_in_brackets(&mut self) {
        let open = usize::from(self.peek(0) == Some(' '));
        if matches!(self.peek(open), Some('(' | '（'))
            && let Some(day) = self.peek(open + 1).and_then(weekday_char)
            && matches!(self.peek(open + 2), Some(')' | '）'))
        {
            self.i += open + 3;
            self.out.push(format!("wd:{day}"));
        }
    }

    /// Whether `word` (and a space or none) stands right before `at`: Thai says a percentage
    /// before its number (`ร้อยละ 12`).
    fn after(&self, word: &str, at: usize) -> bool {
        let before = &self.chars[..at];
        let before = before.strip_suffix(&[' ']).unwrap_or(before);
        let n = word.chars().count();
        before.len() >= n && before[before.len() - n..].iter().copied().eq(word.chars())
    }

    /// Whether the word at `at` starts a sentence (or the text).
    fn sentence_start(&self, at: usize) -> bool {
        let before = self.chars[..at].iter().rev().find(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '(' | '\''));
        before.is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '。'))
    }

    /// Whether a magnitude, a CJK unit or a percent sign follows `k` chars ahead.
    fn unit_after(&self, k: usize) -> bool {
        let mut j = self.i + k;
        if self.chars.get(j) == Some(&' ') {
            j += 1;
        }
        let Some(&c) = self.chars.get(j) else { return false };
        if c == '%' || small_unit(c).is_some() || big_unit(c).is_some() {
            return true;
        }
        let word: String =
            self.chars[j..].iter().take_while(|c| c.is_alphabetic()).flat_map(|c| c.to_lowercase()).collect();
        MAGNITUDES.iter().any(|(m, _)| *m == word)
            || PERCENT_WORDS.iter().any(|p| p.split(' ').next() == Some(word.as_str()))
    }

    /// The next word after one space, lower case (empty if none).
    fn next_word(&self) -> String {
        if self.peek(0) != Some(' ') {
            return String::new();
        }
        self.chars[self.i + 1..].iter().take_while(|c| c.is_alphabetic()).flat_map(|c| c.to_lowercase()).collect()
    }

    fn digit_at(&self, k: usize) -> bool {
        self.peek(k).is_some_and(|c| c.is_ascii_digit())
    }

    /// Digits with thousands separators and a decimal part: the value, whether it was written
    /// plainly (no separator, no decimal), and its count of integer digits.
    fn digits(&mut self) -> (f64, bool, usize) {
        let mut int = String::new();
        let mut frac = String::new();
        let mut plain = true;
        while let Some(c) = self.peek(0) {
            if c.is_ascii_digit() {
                int.push(c);
                self.i += 1;
            } else if matches!(c, ',' | '\u{2009}' | '\u{202f}' | '\'')
                && self.digit_at(1)
                && self.digit_at(2)
                && self.digit_at(3)
                && !self.digit_at(4)
            {
                plain = false;
                self.i += 1;
            } else if c == '.'
                && self.digit_at(1)
                && self.digit_at(2)
                && self.digit_at(3)
                && !self.digit_at(4)
                && frac.is_empty()
                && !self.unit_after(4)
            {
                // `1.450 Zuschauer`, `3.200 euros`: a thousands point (German, Spanish, …);
                // `1.450 millones` or `1.450%` stay decimals.
                plain = false;
                self.i += 1;
            } else if c == '.' && self.digit_at(1) && frac.is_empty() {
                self.i += 1;
                plain = false;
                while let Some(d) = self.peek(0).filter(char::is_ascii_digit) {
                    frac.push(d);
                    self.i += 1;
                }
            } else if c == ',' && self.digit_at(1) && !self.digit_at(3) && frac.is_empty() {
                // `12,5 %`: a decimal comma.
                self.i += 1;
                plain = false;
                while let Some(d) = self.peek(0).filter(char::is_ascii_digit) {
                    frac.push(d);
                    self.i += 1;
                }
            } else {
                break;
            }
        }
        let digits = int.trim_start_matches('0').len().max(1);
        let text = if frac.is_empty() { int } else { format!("{int}.{frac}") };
        (text.parse().unwrap_or(0.0), plain, digits)
    }

    /// CJK magnitude units after a number: 천/千 multiply by a thousand, 만/万/萬 by ten
    /// thousand, 억/亿/億 by a hundred million, 조/兆 by a trillion; groups with falling units
    /// add up (`3조 2천억` is 3.2 trillion, `4만5천` 45,000).
    fn cjk_units(&mut self, first: f64) -> Option<f64> {
        let mut total = 0.0;
        let mut group = first;
        let mut last_big = f64::INFINITY;
        let mut any = false;
        loop {
            let mut unit = 1.0;
            if let Some(c) = self.peek(0)
                && let Some(small) = small_unit(c)
            {
                self.i += 1;
                unit = small;
            }
            let big = self.peek(0).and_then(big_unit);
            if let Some(b) = big {
                if b >= last_big {
                    // not a falling compound; leave it
                    total += group * unit;
                    break;
                }
                self.i += 1;
                unit *= b;
                last_big = b;
            }
            if unit == 1.0 {
                total += group;
                break;
            }
            any = true;
            total += group * unit;
            // Another group: digits after at most one space, with a smaller unit.
            let save = self.i;
            if self.peek(0) == Some(' ') {
                self.i += 1;
            }
            if big.is_some() && self.digit_at(0) {
                let (next, _, _) = self.digits();
                let after_small = self.peek(0).and_then(small_unit);
                let after_big = self
                    .peek(0)
                    .and_then(big_unit)
                    .or_else(|| after_small.and_then(|_| self.peek(1)).and_then(big_unit));
                if after_big.is_some_and(|b| b < last_big) || (after_big.is_none() && after_small.is_some()) {
                    group = next;
                    continue;
                }
            }
            self.i = save;
            break;
        }
        any.then_some(total)
    }

    /// `%`, `percent`, `퍼센트` and the like after a number (percentage points too).
    fn percent(&mut self) -> bool {
        if self.peek(0) == Some('%') {
            self.i += 1;
            return true;
        }
        if self.peek(0) == Some(' ') && self.peek(1) == Some('%') {
            self.i += 2;
            return true;
        }
        for w in ["퍼센트", "프로", "パーセント"] {
            if let Some(k) = self.after_space_starts(w) {
                self.i += k;
                return true;
            }
        }
        for w in PERCENT_WORDS {
            if let Some(k) = self.word_after_space(w) {
                self.i += k;
                return true;
            }
        }
        false
    }

    /// `p.m.`/`pm`/`a.m.` after an hour (after one space or none): what it adds to the hour.
    fn meridiem(&mut self) -> Option<u32> {
        for (word, add) in [("p.m.", 12), ("pm", 12), ("p.m", 12), ("a.m.", 0), ("am", 0), ("a.m", 0)] {
            if let Some(k) = self.word_after_space(word) {
                self.i += k;
                return Some(add);
            }
        }
        None
    }

    /// `word` (ASCII, lower case) at the cursor after at most one space, ending at a
    /// non-letter: the chars to skip.
    fn word_after_space(&self, word: &str) -> Option<usize> {
        let k = usize::from(self.peek(0) == Some(' '));
        let mut n = 0;
        for w in word.chars() {
            if self.peek(k + n)?.to_ascii_lowercase() != w {
                return None;
            }
            n += 1;
        }
        if self.peek(k + n).is_some_and(is_latin_letter) {
            return None;
        }
        Some(k + n)
    }

    fn starts_with_word(&self, word: &str) -> Option<usize> {
        if self.peek(0) == Some(' ') {
            return None;
        }
        self.word_after_space(word)
    }

    /// A month name at the cursor: its number and length.
    fn month_word(&self) -> Option<(u32, usize)> {
        let mut j = 0;
        let mut word = String::new();
        while let Some(c) = self.peek(j).filter(|c| c.is_alphabetic()) {
            word.push(fold_accent(c));
            j += 1;
        }
        let lower = word.to_lowercase();
        month_number(&lower).map(|m| (m, j))
    }

    /// A Latin-script word: a month name (with its day: `March 5`, `Mar. 5`), a number word
    /// (`thirty-two thousand`), a meridiem marker, a name or an acronym, a cognate.
    ///
    /// Most words are lower-case grammar or vocabulary; they are looked at in a buffer kept
    /// between words, and nothing is allocated for them.
    fn latin_word(&mut self) {
        let start = self.i;
        while self.peek(0).is_some_and(|c| {
            is_latin_letter(c) || c.is_ascii_digit() || matches!(c, ':' | '/' | '.' | '-' | '_' | '?' | '=' | '&' | '%')
        }) {
            self.i += 1;
        }
        // The word in lower case, once: the lexicon, the grammar test and the number and month
        // words all read it.
        let mut lower = std::mem::take(&mut self.lower);
        lower.clear();
        let mut plain_lower = true;
        for &c in &self.chars[start..self.i] {
            plain_lower &= c.is_ascii_lowercase();
            if c.is_ascii() {
                lower.push(c.to_ascii_lowercase());
            } else {
                lower.extend(c.to_lowercase());
            }
        }
        // A place or family name of the gazetteer (English side), capitalised.
        if self.lexicon
            && self.chars[start].is_uppercase()
            && let Some(place) = english_place(lower.trim_end_matches(['.', ',', ':', '?', '-']))
        {
            self.out.push(tagged("p:", place));
        }
        // A word of the lexicon (English side).
        if self.lexicon && lower.len() >= 3 {
            let concept = match lower.trim_end_matches(['.', ',', ':']).strip_suffix('s') {
                Some(stem) => english_concept(stem).or_else(|| english_concept(&lower)),
                None => english_concept(&lower),
            };
            if let Some(concept) = concept {
                self.out.push(tagged("w:", concept));
            }
        }
        // A word in lower case is grammar (`the`, `and`, `von`) or, without cognates, says
        // nothing, unless it is a number word (`two`, `thirty-two`), a month or a meridiem.
        let grammar = plain_lower
            && (lower.len() < 5 || !self.cognates)
            && number_word(&lower).is_none()
            && month_number(&lower).is_none()
            && !matches!(lower.as_str(), "am" | "pm" | "noon");
        self.lower = lower;
        if grammar {
            return;
        }
        let mut end = self.i;
        while end > start && matches!(self.chars[end - 1], '.' | ':' | '-' | '?' | '/') {
            end -= 1;
        }
        // Give back what was trimmed, so `5.` or `?` after the word is seen.
        self.i = end;
        let word = &self.chars[start..end];
        if word.windows(3).any(|w| w == [':', '/', '/']) || word.starts_with(&['w', 'w', 'w', '.']) {
            self.out.push(word.iter().flat_map(|c| c.to_lowercase()).collect());
            return;
        }
        let mut folded = std::mem::take(&mut self.folded);
        folded.clear();
        fold_lower_into(word, &mut folded);
        let capital_m = word[0] == 'M';
        let special = self.special_word(&folded, capital_m);
        self.folded = folded;
        if special {
            return;
        }
        let word = &self.chars[start..end];
        // `TEUs` is the plural of `TEU`.
        let word = match word.split_last() {
            Some(('s', stem)) if stem.len() >= 2 && stem.iter().all(char::is_ascii_uppercase) => stem,
            _ => word,
        };
        let mut named = false;
        for part in word.split(|&c| !is_latin_letter(c)) {
            if part.len() >= 2 && part.iter().any(|c| c.is_uppercase()) {
                let mut key = String::with_capacity(part.len());
                fold_lower_into(part, &mut key);
                self.out.push(key);
                named = true;
            } else if part.len() >= 5 && self.cognates {
                let mut key = String::with_capacity(6);
                key.push('~');
                fold_lower_into(&part[..5], &mut key);
                self.out.push(key);
            }
        }
        // Names: the skeleton of a capitalised word and, with the capitalised words right
        // after it, of the whole name (`Choi Young-ho`, `Kim Min-ji`).
        if self.names && named && word[0].is_uppercase() {
            let mut joined: String = word.iter().collect();
            // Two consonants are enough for a name inside a sentence (`Haneul`), where a
            // capital means a name, not for a sentence's first word.
            let one = roman::skeleton(&joined);
            if one.len() >= 3 || (one.len() == 2 && !self.sentence_start(start)) {
                self.out.push(tagged("k:", &one));
            }
            let save = self.i;
            for _ in 0..2 {
                if self.peek(0) != Some(' ') || !self.peek(1).is_some_and(char::is_uppercase) {
                    break;
                }
                let mut j = self.i + 1;
                while self.chars.get(j).is_some_and(|&c| is_latin_letter(c) || c == '-') {
                    j += 1;
                }
                joined.extend(&self.chars[self.i + 1..j]);
                let skel = roman::skeleton(&joined);
                if skel.len() >= 2 {
                    self.out.push(tagged("k:", &skel));
                }
                self.i = j;
            }
            // The following words are read again on their own.
            self.i = save;
        }
    }

    /// A month (with its day), a number word (with its magnitude) or a meridiem marker, read
    /// from a word folded to lower case; `capital_m` says whether it was written with a capital
    /// M (only a capitalised May is the month). Whether the word was one of those.
    fn special_word(&mut self, folded: &str, capital_m: bool) -> bool {
        if let Some(day) = WEEKDAYS.iter().position(|w| *w == folded) {
            self.out.push(format!("wd:{}", day + 1));
            return true;
        }
        // A month: `March 5`, `Mar. 5`, `March 5th`, `5 March` (the number reads that one).
        if let Some(month) = month_number(folded) {
            let save = self.i;
            if self.peek(0) == Some('.') {
                self.i += 1;
            }
            if self.peek(0) == Some(' ') && self.digit_at(1) {
                self.i += 1;
                let (day, plain, _) = self.digits();
                if plain && (1.0..=31.0).contains(&day) && !self.digit_at(0) {
                    for suffix in ["st", "nd", "rd", "th"] {
                        if let Some(k) = self.starts_with_word(suffix) {
                            self.i += k;
                        }
                    }
                    self.out.push(format!("d:{month}-{}", day as u32));
                    return true;
                }
            }
            self.i = save;
            if folded != "may" || capital_m {
                self.out.push(format!("m:{month}"));
            }
            return true;
        }
        if let Some(value) = number_word(folded) {
            let mut value = value as f64;
            // `thirty-two thousand`, `two million`
            loop {
                let mut found = false;
                for &(w, m) in MAGNITUDES {
                    if let Some(k) = self.word_after_space(w) {
                        self.i += k;
                        value *= m;
                        found = true;
                        break;
                    }
                }
                if !found {
                    break;
                }
            }
            if self.percent() {
                self.out.push(format!("%:{}", canonical(value)));
            } else {
                self.out.push(format!("n:{}", canonical(value)));
            }
            return true;
        }
        match folded {
            "pm" | "p.m" | "am" | "a.m" => true,
            "noon" => {
                self.out.push("t:12".into());
                true
            }
            _ => false,
        }
    }

    /// A run of Hangul: a name's romanisations (the whole word and, to shed a particle, its
    /// first two or three syllables), and the half-day words before a time.
    fn hangul_word(&mut self) {
        let start = self.i;
        while self.peek(0).is_some_and(is_hangul) {
            self.i += 1;
        }
        let word: String = self.chars[start..self.i].iter().collect();
        match word.as_str() {
            "오후" | "저녁" | "밤" => {
                self.clock = Some(12);
                return;
            }
            "오전" | "새벽" | "아침" => {
                self.clock = Some(0);
                return;
            }
            "정오" => {
                self.out.push("t:12".into());
                return;
            }
            _ => {}
        }
        if let Some(day) = KOREAN_WEEKDAYS.iter().position(|w| word.starts_with(w)) {
            self.out.push(format!("wd:{}", day + 1));
            return;
        }
        if let Some(v) = native_number(&word, || self.hangul_after_space()) {
            self.out.push(format!("n:{v}"));
            return;
        }
        if !self.names {
            return;
        }
        let syllables = word.chars().count();
        let mut keys: Vec<String> = Vec::new();
        for len in 2..=syllables.min(4) {
            let prefix: String = word.chars().take(len).collect();
            // A personal name is three syllables, alone or with a particle: only those are tried
            // with every spelling of surnames and given names.
            let name = len == 3 && (syllables == 3 || (syllables == 4 && word.ends_with(PARTICLES)));
            let spellings = if name { roman::hangul_spellings(&prefix) } else { vec![roman::romanise_hangul(&prefix)] };
            for s in spellings {
                let skel = roman::skeleton(&s);
                // Two consonants are enough for a name (`Haneul`, `Choi Young-ho`) only when the
                // English side has the same two as a name inside a sentence.
                if skel.len() >= 2 && !keys.iter().any(|k| k[2..] == skel) {
                    keys.push(format!("k:{skel}"));
                }
            }
        }
        self.out.extend(keys);
    }

    /// The Hangul word after the cursor and one space, if that is what follows.
    fn hangul_after_space(&self) -> String {
        if self.peek(0) != Some(' ') {
            return String::new();
        }
        self.chars[self.i + 1..].iter().take_while(|&&c| is_hangul(c)).collect()
    }

    /// A run of kana: a name or loanword's romanisation.
    fn kana_word(&mut self) {
        let start = self.i;
        let katakana = |c: char| ('\u{30a1}'..='\u{30fa}').contains(&c) || c == 'ー' || c == '・';
        if katakana(self.chars[start]) {
            while self.peek(0).is_some_and(katakana) {
                self.i += 1;
            }
        } else {
            // Hiragana is grammar.
            while self.peek(0).is_some_and(|c| is_kana(c) && !katakana(c)) {
                self.i += 1;
            }
            return;
        }
        // Katakana carries names and loanwords.
        if !self.names || self.i - start < 3 {
            return;
        }
        let word: String = self.chars[start..self.i].iter().collect();
        if let Some(r) = roman::romanise_kana(&word) {
            let skel = roman::skeleton(&r);
            if skel.len() >= 3 {
                self.out.push(tagged("k:", &skel));
            }
        }
    }

    /// Han characters: the half-day words before a time (`午後`, `下午`).
    fn han(&mut self) {
        let two = (self.chars[self.i], self.peek(1).unwrap_or(' '));
        match two {
            ('午', '後') | ('下', '午') | ('晚', '上') | ('傍', '晚') => self.clock = Some(12),
            ('午', '前') | ('上', '午') | ('早', '上') | ('凌', '晨') => self.clock = Some(0),
            ('正' | '中', '午') => {
                if !self.digit_at(2) {
                    self.out.push("t:12".into());
                }
                self.clock = Some(12);
            }
            _ => {}
        }
        if self.han_weekday() || self.han_number() {
            return;
        }
        if self.pinyin {
            self.pinyin_names();
        }
        self.i += 1;
    }

    /// A Chinese name or place in pinyin, run together without tones as English writes it:
    /// the given name after a common family name (`何立新` gives `lixin`, `Lixin` in English)
    /// and the name before a place's suffix (`江川市` gives `jiangchuan`). Only the keys that
    /// English has too are kept, so a family name's character that is also a word (`高`, `马`)
    /// costs a key or two and nothing more.
    fn pinyin_names(&mut self) {
        let c = self.chars[self.i];
        if CHINESE_SURNAMES.contains(&c) {
            // A given name of one character or two.
            for len in 1..=2 {
                self.push_pinyin(self.i + 1, len, 3);
            }
        }
        if PLACE_SUFFIXES.contains(&c) {
            for len in 2..=3 {
                if let Some(from) = self.i.checked_sub(len) {
                    self.push_pinyin(from, len, 4);
                }
            }
        }
    }

    /// The pinyin of `len` Han characters from `from`, if all have one and it has `min`
    /// letters or more.
    fn push_pinyin(&mut self, from: usize, len: usize, min: usize) {
        use pinyin::ToPinyin;
        // A paragraph names a few people and places: a run of family names' characters (a
        // hostile text) gets no more keys than this.
        if self.pinyin_keys >= MAX_PINYIN_KEYS {
            return;
        }
        let mut key = String::with_capacity(6 * len);
        for k in from..from + len {
            let Some(p) = self.chars.get(k).filter(|&&c| is_han(c)).and_then(|c| c.to_pinyin()) else { return };
            key.extend(p.plain().chars().map(|c| if c == 'ü' { 'u' } else { c }));
        }
        if key.len() >= min {
            self.pinyin_keys += 1;
            self.out.push(key);
        }
    }

    /// A day of the week in Han characters: `火曜日` or `火曜` (Japanese), `星期二` or `周二`
    /// (Chinese).
    fn han_weekday(&mut self) -> bool {
        let (c, next) = (self.chars[self.i], self.peek(1));
        let (day, len) = match (c, next) {
            (_, Some('曜')) => match weekday_char(c) {
                Some(day) => (day, if self.peek(2) == Some('日') { 3 } else { 2 }),
                None => return false,
            },
            ('星', Some('期')) => match self.peek(2).and_then(chinese_weekday) {
                Some(day) => (day, 3),
                None => return false,
            },
            ('周' | '週', Some(d)) => match chinese_weekday(d) {
                Some(day) => (day, 2),
                None => return false,
            },
            _ => return false,
        };
        self.i += len;
        self.out.push(format!("wd:{day}"));
        true
    }

    /// A number written in Han numerals before a counter (`三个单元`, `十二人`, `两千名`,
    /// `三つ`): its value, moving past the numerals. Not one (`一个` is often just "a"), nor an
    /// ordinal (`第三`), nor numerals inside a word (`统一`, `一些`: no counter follows).
    fn han_number(&mut self) -> bool {
        let start = self.i;
        if han_digit(self.chars[start]).is_none() && small_unit(self.chars[start]).is_none() {
            return false;
        }
        let before = start.checked_sub(1).map(|k| self.chars[k]);
        if before.is_some_and(|c| matches!(c, '第' | '初') || is_han_numeral(c)) {
            return false;
        }
        let mut end = start;
        while self.chars.get(end).copied().is_some_and(is_han_numeral) {
            end += 1;
        }
        let Some(value) = han_value(&self.chars[start..end]) else { return false };
        let counted = self.chars.get(end).is_some_and(|c| HAN_COUNTERS.contains(c));
        if !counted || value < 2.0 {
            return false;
        }
        let year = end - start == 4 && self.chars[end] == '年' && (1000.0..=2999.0).contains(&value);
        self.out.push(format!("{}:{}", if year { "y" } else { "n" }, canonical(value)));
        self.i = end;
        true
    }

    /// A word in another script (Cyrillic, Greek): a month name with the day before it was read
    /// by the number; otherwise nothing.
    fn other_word(&mut self) {
        if is_thai(self.chars[self.i]) {
            // Thai writes no spaces between words: a run is a phrase, and a month in it is
            // found inside (`ในเดือนมีนาคม`, in March). Its vowel and tone marks are in the run.
            let start = self.i;
            while self.peek(0).is_some_and(is_thai) {
                self.i += 1;
            }
            let run: String = self.chars[start..self.i].iter().collect();
            for &(name, month) in &THAI_MONTHS[..12] {
                if run.contains(name) {
                    self.out.push(format!("m:{month}"));
                }
            }
            return;
        }
        while self.peek(0).is_some_and(|c| c.is_alphabetic() && !is_hangul(c) && !is_kana(c) && !is_han(c)) {
            self.i += 1;
        }
    }
}

/// A month name or abbreviation (accents folded, lower case): its number.
fn month_number(word: &str) -> Option<u32> {
    // Most words are no month: a cheap look at the first letter and the length first.
    let first = word.chars().next()?;
    if word.len() > 18
        || !matches!(
            first,
            'j' | 'f' | 'm' | 'a' | 's' | 'o' | 'n' | 'd' | 'я' | 'ф' | 'м' | 'а' | 'и' | 'с' | 'о' | 'н' | 'д'
        )
    {
        return None;
    }
    static TABLE: std::sync::OnceLock<foldhash::HashMap<&'static str, u32>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = foldhash::HashMap::default();
        for (m, name) in MONTHS.iter().enumerate() {
            table.entry(*name).or_insert(m as u32 + 1);
        }
        for &(name, m) in MONTH_WORDS {
            table.entry(name).or_insert(m);
        }
        table
    });
    table.get(word).copied()
}

/// `thirty-two` → 32, `twelve` → 12.
fn number_word(word: &str) -> Option<u64> {
    if word.len() > 14 || !word.starts_with(['o', 't', 'f', 's', 'e', 'n']) {
        return None;
    }
    static TABLE: std::sync::OnceLock<foldhash::HashMap<&'static str, u64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = foldhash::HashMap::default();
        for &(name, v) in NUMBER_WORDS {
            table.entry(name).or_insert(v);
        }
        table
    });
    let find = |w: &str| table.get(w).copied();
    match word.split_once('-') {
        Some((tens, units)) => {
            let (t, u) = (find(tens)?, find(units)?);
            (t >= 20 && t % 10 == 0 && u < 10).then_some(t + u)
        }
        None => find(word),
    }
}

/// English days of the week, Monday first (ISO 8601: Monday is 1).
const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Korean days of the week, Monday first.
const KOREAN_WEEKDAYS: [&str; 7] = ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"];

/// A day of the week as one character (Korean or Japanese, as in `(화)`, `火曜日`): Monday is 1.
fn weekday_char(c: char) -> Option<u32> {
    Some(match c {
        '월' | '月' => 1,
        '화' | '火' => 2,
        '수' | '水' => 3,
        '목' | '木' => 4,
        '금' | '金' => 5,
        '토' | '土' => 6,
        '일' | '日' => 7,
        _ => return None,
    })
}

/// A Chinese day of the week after `星期` or `周`: `一` is Monday, `日` and `天` Sunday.
fn chinese_weekday(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '日' | '天' => 7,
        _ => return None,
    })
}

/// Korean spans of days in native words, with their number: `열흘간` is ten days.
const KOREAN_DAYS: &[(&str, u32)] = &[
    ("이틀", 2),
    ("사흘", 3),
    ("나흘", 4),
    ("닷새", 5),
    ("엿새", 6),
    ("이레", 7),
    ("여드레", 8),
    ("아흐레", 9),
    ("열흘", 10),
    ("보름", 15),
];

/// Korean native numerals as they stand before a counter, with their value (one is left out:
/// `한` is as often "a").
const KOREAN_NUMERALS: &[(&str, u32)] = &[
    ("두", 2),
    ("세", 3),
    ("석", 3),
    ("네", 4),
    ("넉", 4),
    ("다섯", 5),
    ("여섯", 6),
    ("일곱", 7),
    ("여덟", 8),
    ("아홉", 9),
    ("열", 10),
    ("열한", 11),
    ("열두", 12),
    ("열세", 13),
    ("스무", 20),
    ("서른", 30),
    ("마흔", 40),
];

/// Counters a Korean native numeral stands before: things, people, places, times, months,
/// ages, kinds, vehicles.
const KOREAN_COUNTERS: &[&str] =
    &["개", "명", "곳", "가지", "번", "달", "살", "시간", "차례", "척", "대", "채", "권", "마리", "군데", "사람", "해"];

/// The number a Korean word says in native words: a span of days (`열흘간`, `사흘째`), or a
/// numeral a space before a counter (`세 차례`, `석 달`; `next` gives the word after the
/// space). Joined to what follows, a numeral is too often part of another word (`세대`,
/// `열대야`).
fn native_number(word: &str, next: impl FnOnce() -> String) -> Option<u32> {
    if let Some(&(_, v)) = KOREAN_DAYS.iter().find(|(d, _)| word.starts_with(d)) {
        return Some(v);
    }
    let counted = |rest: &str| KOREAN_COUNTERS.iter().any(|c| rest.starts_with(c));
    let &(_, v) = KOREAN_NUMERALS.iter().find(|(numeral, _)| *numeral == word)?;
    counted(&next()).then_some(v)
}

/// The most pinyin keys one paragraph gives.
const MAX_PINYIN_KEYS: usize = 64;

/// The commonest Chinese family names (114), a character each: where a name starts in Chinese text.
const CHINESE_SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林',
    '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于',
    '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆',
    '汪', '范', '金', '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛',
    '闫', '段', '雷', '侯', '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '钱', '严', '武', '戴', '莫',
    '孔', '向', '汤', '常', '温', '康', '施', '文', '牛', '樊', '葛', '邢', '安', '齐', '易', '乔', '伍', '庞', '颜',
];

/// Characters that end a Chinese place's name: city, county, province, town, district,
/// village, prefecture, island, port, lake.
const PLACE_SUFFIXES: &[char] = &['市', '县', '縣', '省', '镇', '鎮', '区', '區', '村', '州', '岛', '島', '港', '湖'];

/// A Han digit's value (`两` and `兩` are two before a counter).
fn han_digit(c: char) -> Option<f64> {
    Some(match c {
        '〇' | '零' => 0.0,
        '一' => 1.0,
        '二' | '两' | '兩' => 2.0,
        '三' => 3.0,
        '四' => 4.0,
        '五' => 5.0,
        '六' => 6.0,
        '七' => 7.0,
        '八' => 8.0,
        '九' => 9.0,
        _ => return None,
    })
}

fn is_han_numeral(c: char) -> bool {
    (is_han(c) || c == '〇') && (han_digit(c).is_some() || small_unit(c).is_some() || big_unit(c).is_some())
}

/// Characters that count what a Han numeral before them numbers: things, people, places,
/// times, ages, vehicles, kinds, sections.
const HAN_COUNTERS: &[char] = &[
    '个', '個', '名', '人', '位', '件', '项', '項', '家', '座', '所', '场', '場', '次', '回', '天', '年', '岁', '歳',
    '歲', '台', '辆', '輛', '条', '條', '种', '種', '只', '隻', '张', '張', '部', '门', '門', '层', '層', '届', '屆',
    '周', '週', '倍', '艘', '架', '枚', '社', '校', 'カ', 'ヵ', 'か', 'つ', '頭', '匹', '本',
];

/// The value of a run of Han numerals: `十二` 12, `三百五十` 350, `两千` 2,000, `三万` 30,000,
/// `二〇二四` 2,024 read digit by digit.
fn han_value(run: &[char]) -> Option<f64> {
    if run.len() > 1 && run.iter().all(|&c| han_digit(c).is_some()) {
        return run.iter().try_fold(0.0, |v, &c| Some(v * 10.0 + han_digit(c)?));
    }
    let (mut total, mut section, mut digit) = (0.0, 0.0, None::<f64>);
    for &c in run {
        if let Some(d) = han_digit(c) {
            if digit.is_some() {
                return None;
            }
            digit = Some(d);
        } else if let Some(u) = small_unit(c) {
            section += digit.take().unwrap_or(1.0) * u;
        } else if let Some(u) = big_unit(c) {
            total += (section + digit.take().unwrap_or(0.0)).max(1.0) * u;
            section = 0.0;
        }
    }
    Some(total + section + digit.unwrap_or(0.0))
}

fn small_unit(c: char) -> Option<f64> {
    match c {
        '십' | '十' => Some(10.0),
        '백' | '百' => Some(100.0),
        '천' | '千' | '仟' => Some(1e3),
        _ => None,
    }
}

fn big_unit(c: char) -> Option<f64> {
    match c {
        '만' | '万' | '萬' => Some(1e4),
        '억' | '亿' | '億' => Some(1e8),
        '조' | '兆' => Some(1e12),
        _ => None,
    }
}

/// A number's value as a key: integers without separators, others to four decimals, trimmed.
fn canonical(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e18 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Letters of the Latin script (Basic Latin to Latin Extended-B).
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{c0}'..='\u{24f}').contains(&c) && c.is_alphabetic())
}

fn is_hangul(c: char) -> bool {
    ('\u{ac00}'..='\u{d7a3}').contains(&c)
}

fn is_kana(c: char) -> bool {
    ('\u{3041}'..='\u{3096}').contains(&c) || ('\u{30a1}'..='\u{30fa}').contains(&c)
}

/// Thai letters and marks (its digits are read as ASCII ones before this is asked).
fn is_thai(c: char) -> bool {
    ('\u{0e01}'..='\u{0e4f}').contains(&c)
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// An anchor: `prefix` and `text` in one string sized once (no formatting machinery: this
/// runs for every name and lexicon word).
fn tagged(prefix: &str, text: &str) -> String {
    let mut anchor = String::with_capacity(prefix.len() + text.len());
    anchor.push_str(prefix);
    anchor.push_str(text);
    anchor
}

/// Appends the letters with their accents folded, in lower case.
fn fold_lower_into(word: &[char], out: &mut String) {
    for &c in word {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let c = fold_accent(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The base letter of the common accented Latin letters.
pub(crate) fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'ì'..='ï' | 'ī' | 'į' => 'i',
        'Ì'..='Ï' | 'Ī' | 'Į' => 'I',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => 'O',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        'ß' => 's',
        'š' | 'ś' => 's',
        'Š' | 'Ś' => 'S',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ł' => 'l',
        'Ł' => 'L',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(text: &str, key: &str) -> bool {
        let a = anchors(text);
        a.iter().any(|k| k == key)
    }

    #[test]
    fn magnitudes_meet_across_scripts() {
        assert!(has("정부는 26조 원을 투입한다.", "n:26000000000000"));
        assert!(has("The government will spend 26 trillion won.", "n:26000000000000"));
        assert!(has("예산은 1억 2천만 원이다.", "n:120000000"));
        assert!(has("a budget of 120 million won", "n:120000000"));
        assert!(has("3조 2천억 원", "n:3200000000000"));
        assert!(has("3.2 trillion won", "n:3200000000000"));
        assert!(has("관람객 4만5천 명", "n:45000"));
        assert!(has("45,000 visitors", "n:45000"));
        assert!(has("Forty-five thousand visitors", "n:45000"));
        assert!(has("総額1億5000万円", "n:150000000"));
        assert!(has("150 million yen", "n:150000000"));
        assert!(has("年产3.5万辆", "n:35000"));
        assert!(has("1.2亿元", "n:120000000"));
        assert!(has("２億円", "n:200000000"));
        assert!(has("Thirty-two stalls", "n:32"));
    }

    #[test]
    fn percentages_years_dates_and_times() {
        assert!(has("12.5%", "%:12.5"));
        assert!(has("12.5 percent", "%:12.5"));
        assert!(has("８％", "%:8"));
        assert!(has("12,5 %", "%:12.5"));
        assert!(has("2024년", "y:2024"));
        assert!(has("２０２５年", "y:2025"));
        assert!(has("in 2015 and", "y:2015"));
        assert!(!has("2,015 people", "y:2015"));
        assert!(has("3월 5일", "d:3-5"));
        assert!(has("3月5日", "d:3-5"));
        assert!(has("on March 5.", "d:3-5"));
        assert!(has("Mar. 5", "d:3-5"));
        assert!(has("le 3 novembre", "d:11-3"));
        assert!(has("el 5 de marzo", "d:3-5"));
        assert!(has("on 5 March", "d:3-5"));
        assert!(has("20일 밝혔다", "day:20"));
        assert!(has("on the 20th", "day:20"));
        assert!(has("오후 3시", "t:15"));
        assert!(has("오후 6시 30분", "t:18:30"));
        assert!(has("午後2時", "t:14"));
        assert!(has("下午3点", "t:15"));
        assert!(has("at 3 p.m.", "t:15"));
        assert!(has("at 6:30 p.m.", "t:18:30"));
        assert!(has("at 18:30", "t:18:30"));
    }

    #[test]
    fn names_and_marks() {
        assert!(has("국제연합(UN) 회의", "un"));
        assert!(has("「本当ですか」と聞いた", "\""));
        assert!(has("왜 그랬을까?", "?"));
        assert!(has("see https://example.org/x.", "https://example.org/x"));
        assert!(has("Élodie gagne le festival", "~festi"));
        let ko = anchors("최영호 상인회장은 말했다");
        let en = anchors("said Choi Young-ho, head of the association");
        assert!(ko.iter().any(|k| k.starts_with("k:") && en.contains(k)), "{ko:?} {en:?}");
        let ja = anchors("ワシントンで会った");
        let en = anchors("met in Washington");
        assert!(ja.iter().any(|k| k.starts_with("k:") && en.contains(k)), "{ja:?} {en:?}");
    }

    #[test]
    fn the_lexicon_ties_roles_and_institutions() {
        let key = |t: &str| anchors(t).into_iter().filter(|k| k.starts_with("w:")).collect::<Vec<_>>();
        assert_eq!(key("浅野隆社長は記者会見で述べた"), vec!["w:president", "w:conference"]);
        assert!(key("President Takashi Asano told a news conference").contains(&"w:conference".to_string()));
        assert_eq!(key("the mayor's office"), vec!["w:mayor"]);
        assert_eq!(key("a major market"), Vec::<String>::new());
        assert_eq!(key("Two mayors met"), vec!["w:mayor"]);
        assert_eq!(key("가람시장은 말했다"), Vec::<String>::new(), "시장 is also a market: left out");
        assert_eq!(key("新工厂的投资"), vec!["w:factory", "w:investment"]);
    }

    #[test]
    fn places_and_family_names_in_kanji_meet_their_english_spelling() {
        let key = |t: &str| anchors(t).into_iter().filter(|k| k.starts_with("p:")).collect::<Vec<_>>();
        // The longest match: the Tokyo metropolis is not Kyoto.
        assert_eq!(key("東京都の田中知事と大阪府の佐藤氏"), vec!["p:tokyo", "p:tanaka", "p:osaka", "p:sato"]);
        assert_eq!(key("京都で"), vec!["p:kyoto"]);
        assert_eq!(
            key("Governor Tanaka of Tokyo met Mr. Sato in Osaka."),
            vec!["p:tanaka", "p:tokyo", "p:sato", "p:osaka"]
        );
        // Once a paragraph; simplified and traditional forms are one place.
        assert_eq!(key("上海和广州，广州和廣州"), vec!["p:shanghai", "p:guangzhou"]);
        assert_eq!(key("Guangzhou, Guangzhou and Shanghai"), vec!["p:guangzhou", "p:shanghai"]);
        // Only a capitalised English word is a name: `saga` and `abe` in lower case are not.
        assert_eq!(key("a family saga"), Vec::<String>::new());
        // Names that are also common words are left out.
        assert_eq!(key("大分良くなった"), Vec::<String>::new());
    }

    #[test]
    fn numbers_in_han_numerals_and_korean_native_words() {
        let numbers =
            |t: &str| anchors(t).into_iter().filter(|k| k.starts_with("n:") || k.starts_with("y:")).collect::<Vec<_>>();
        // Han numerals before a counter, whatever their form.
        assert_eq!(numbers("特展分为三个单元"), vec!["n:3"]);
        assert_eq!(numbers("十二名选手和两千名观众"), vec!["n:12", "n:2000"]);
        assert_eq!(numbers("三百五十人が参加した"), vec!["n:350"]);
        assert_eq!(numbers("三万人"), vec!["n:30000"]);
        assert_eq!(numbers("売り場は三つある"), vec!["n:3"]);
        assert_eq!(numbers("二〇二四年"), vec!["y:2024"]);
        assert!(has("The exhibition has three sections", "n:3"));
        // Not a numeral inside a word, nor one ("a"), nor an ordinal.
        assert_eq!(numbers("统一和一些人，一个人，第三次"), Vec::<String>::new());
        // Korean native numbers: spans of days, and numerals a space before a counter.
        assert_eq!(numbers("축제는 열흘간 열린다"), vec!["n:10"]);
        assert_eq!(numbers("이틀 이상 계속될 때"), vec!["n:2"]);
        assert_eq!(numbers("세 차례 회의와 석 달 공사"), vec!["n:3"], "a small number counts once a paragraph");
        assert_eq!(numbers("두 사람과 다섯 명"), vec!["n:2", "n:5"]);
        // A numeral joined to what follows is another word (generation, tropical night), and
        // `네` alone is "yes".
        assert_eq!(numbers("세대 간 열대야, 네 맞습니다"), Vec::<String>::new());
    }

    #[test]
    fn days_of_the_week_and_days_of_full_dates() {
        for t in ["on Tuesday", "지난 화요일", "火曜日に", "5일(화)", "3月5日（火）", "星期二", "周二上午"]
        {
            assert!(has(t, "wd:2"), "{t}: {:?}", anchors(t));
        }
        assert!(has("周日下午", "wd:7") && has("Sunday", "wd:7"));
        assert!(!has("上周", "wd:1") && !has("月曜", "wd:2"));
        // `July 28` meets `28일`, as well as `7월 28일`.
        assert!(has("on July 28", "day:28") && has("on July 28", "d:7-28") && has("7月28日", "day:28"));
    }

    #[test]
    fn thai_and_russian_figures() {
        let a = anchors("เมื่อวันที่ 5 มีนาคม 2567 ผู้ชมเพิ่มขึ้นร้อยละ 12 และมีเงินรางวัล 3 ล้านบาท");
        for key in ["d:3-5", "y:2024", "%:12", "n:3000000"] {
            assert!(a.iter().any(|k| k == key), "{key}: {a:?}");
        }
        assert!(has("วันที่ ๕ มี.ค. ๒๕๖๗", "d:3-5") && has("วันที่ ๕ มี.ค. ๒๕๖๗", "y:2024"), "Thai digits");
        assert!(has("การแข่งขันจัดขึ้นในเดือนกุมภาพันธ์ทุกปี", "m:2"), "a month inside a run of Thai");
        assert!(has("ยอดขาย 8 เปอร์เซ็นต์", "%:8"));
        // A Buddhist year only in Thai text.
        assert!(!has("2567 visitors came", "y:2024"));
        assert!(has("бюджет 12 млн рублей", "n:12000000"));
        assert!(has("на 15 процентов", "%:15"));
    }

    #[test]
    fn chinese_names_meet_their_pinyin() {
        let zh = |t: &str| anchors_with(t, false, false, true, true);
        let en = |t: &str| anchors_with(t, false, false, true, false);
        let (a, b) = (zh("据博物馆馆长何立新介绍，江川市自然博物馆"), en("museum director He Lixin of Jiangchuan"));
        for key in ["lixin", "jiangchuan"] {
            assert!(a.iter().any(|k| k == key) && b.iter().any(|k| k == key), "{key}: {a:?} {b:?}");
        }
        // A hostile run of family names' characters gives a bounded number of keys.
        let flood = zh(&"王李张".repeat(100_000));
        assert!(flood.len() <= MAX_PINYIN_KEYS + 4, "{} keys", flood.len());
        // Without the flag (Japanese reads the same characters otherwise), none.
        assert!(!anchors_with("江川市", true, false, true, false).iter().any(|k| k == "jiangchuan"));
    }

    #[test]
    fn weights_by_kind() {
        assert!(base_weight("n:3") < base_weight("n:45000"));
        assert!(base_weight("d:3-5") > base_weight("m:3"));
        assert!(base_weight("\"") < base_weight("samsung"));
        // Two consonants meet by chance far more often than four.
        assert!(base_weight("k:rt") < base_weight("k:prk") && base_weight("k:prk") < base_weight("k:prkm"));
    }

    #[test]
    fn news_events_and_institutions_are_concepts() {
        let key = |t: &str| anchors(t).into_iter().filter(|k| k.starts_with("w:")).collect::<Vec<_>>();
        assert_eq!(key("기상청은 폭우로 2명이 숨졌다고 밝혔다"), vec!["w:weather", "w:rain", "w:death"]);
        assert_eq!(key("気象庁によると、豪雨で2人が亡くなった"), vec!["w:weather", "w:rain", "w:death"]);
        assert_eq!(
            key("The weather agency said two people died in the downpour"),
            vec!["w:weather", "w:death", "w:rain"]
        );
        assert_eq!(key("出口はこちら"), Vec::<String>::new(), "出口 is an exit in Japanese: left out");
    }

    #[test]
    fn seasons_are_concepts() {
        assert!(has("올여름 첫 폭염", "w:summer"));
        assert!(has("夏休みの宿題", "w:summer") && has("今年夏天", "w:summer") && has("冬季", "w:winter"));
        assert!(has("its summers run hotter", "w:summer"));
        assert!(!has("돌봄 교실", "w:spring"), "봄 inside another word is no spring");
    }

    #[test]
    fn hostile_text_is_cheap_and_safe() {
        let long = "1억".repeat(5_000) + &"９".repeat(5_000) + &"March ".repeat(2_000);
        let a = anchors(&long);
        assert!(!a.is_empty());
        assert!(anchors("").is_empty());
        assert!(anchors("99999999999999999999999999조").iter().any(|k| k.starts_with("n:")));
    }
}
