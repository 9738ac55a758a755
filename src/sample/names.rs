//! Fake parties: natural persons (张伟, 李秀英, or already masked 王某某) and companies
//! (灵宝市鑫源矿业有限公司). Every character is in GBK.
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文牛岳翟";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国志新利民文德海燕小云飞鹏辉宇浩凯晓东亮林春梅荣雪峰宏波俊瑞琳佳欣晨阳帅鑫斌彬振福庆喜保全满银凤";
const WORDS: &[&str] = &[
    "鑫源", "宏达", "恒信", "华泰", "金盛", "永安", "瑞丰", "天成", "顺达", "汇通", "兴业", "中原", "黄河", "崤函", "豫西", "国泰", "新兴",
    "百川", "聚源", "嘉禾", "利民", "宏远", "东方", "祥和",
];
const TRADES: &[&str] = &[
    "商贸",
    "建筑工程",
    "房地产开发",
    "矿业",
    "果业",
    "物流",
    "餐饮管理",
    "农业开发",
    "化工",
    "建材",
    "运输",
    "置业",
    "食品",
    "医药",
    "科技",
    "环保",
];
const SHOPS: &[&str] = &["超市", "便利店", "饭店", "烟酒店", "五金店", "农资店", "药店", "网吧", "汽修店", "加油站"];

fn one(rng: &mut ChaCha8Rng, s: &str) -> char {
    let n = s.chars().count();
    s.chars().nth(rng.random_range(0..n)).unwrap_or('某')
}

/// A natural person: surname and one or two given-name characters; some ledgers already mask
/// names (王某, 李某某).
pub(super) fn person(rng: &mut ChaCha8Rng) -> String {
    let mut s = String::new();
    s.push(one(rng, SURNAMES));
    let roll: f64 = rng.random();
    if roll < 0.06 {
        s.push('某');
    } else if roll < 0.12 {
        s.push_str("某某");
    } else {
        s.push(one(rng, GIVEN));
        if rng.random_bool(0.6) {
            s.push(one(rng, GIVEN));
        }
    }
    s
}

/// A company in `place` (a city or county name without its suffix).
pub(super) fn company(rng: &mut ChaCha8Rng, place: &str) -> String {
    let w = WORDS[rng.random_range(0..WORDS.len())];
    let t = TRADES[rng.random_range(0..TRADES.len())];
    if rng.random_bool(0.3) { format!("河南{w}{t}有限公司") } else { format!("{place}{w}{t}有限公司") }
}

/// A sole trader's shop (个体工商户), named after its owner or a word.
pub(super) fn shop(rng: &mut ChaCha8Rng, place: &str) -> String {
    let s = SHOPS[rng.random_range(0..SHOPS.len())];
    if rng.random_bool(0.5) {
        format!("{place}{}{s}", WORDS[rng.random_range(0..WORDS.len())])
    } else {
        format!("{place}{}记{s}", one(rng, SURNAMES))
    }
}

/// A party: person with probability `p_person`, otherwise a company.
pub(super) fn party(rng: &mut ChaCha8Rng, place: &str, p_person: f64) -> String {
    if rng.random_bool(p_person) { person(rng) } else { company(rng, place) }
}
