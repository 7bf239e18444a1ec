//! People's names: whether two spellings name the same person.
//!
//! Conference sites write one speaker several ways: `presenters: Zhang Weiwei`
//! over a speakers section that says `张伟伟`, `Weiwei Zhang` in the English twin,
//! `Wei-wei Zhang` on the speaker's own page, `HeZhangJian` as one word. The
//! checker compares presenters with the speakers section; treating these as
//! different people raised most of the Asia sites' `presenters-mismatch`
//! warnings, none of them real.
//!
//! Two names are the same person when, ignoring case, spaces, punctuation and
//! accents, one contains the other; or when some spelling of one equals some
//! spelling of the other, where the spellings of a name are:
//! - Latin letters: as written, and with the first or last word moved to the
//!   other end (family name first or last);
//! - hanzi: every pinyin reading (heteronyms included), with a one- or
//!   two-character family name first or last.

use pinyin::ToPinyinMulti;
use std::collections::BTreeSet;

/// Readings tried per name: a guard against long runs of many-reading characters.
const MAX_READINGS: usize = 256;

/// Whether `a` and `b` name the same person (see the module header).
pub fn same_person(a: &str, b: &str) -> bool {
    let (na, nb) = (fold(a), fold(b));
    if na.is_empty() || nb.is_empty() {
        return false;
    }
    if na.contains(&nb) || nb.contains(&na) {
        return true;
    }
    let sa = spellings(a);
    if sa.is_empty() {
        return false;
    }
    spellings(b).iter().any(|s| sa.contains(s))
}

/// Whether `text` (a bio, a photo's file name) names `person` in one of its
/// spellings: `Professor Jianmin Wang is…` names `wang jianmin`, a photo
/// `Du-Junping.png` names `Junping Du`, `韩卿，Kyligence…` names `韩卿`.
/// Spellings shorter than four letters (or two hanzi) are not looked for.
pub fn mentions(text: &str, person: &str) -> bool {
    let hay = fold(text).replace('v', "u");
    if hay.is_empty() {
        return false;
    }
    spellings(person).iter().any(|s| {
        let han = s.chars().any(is_han);
        (if han {
            s.chars().count() >= 2
        } else {
            s.len() >= 4
        }) && hay.contains(s.as_str())
    })
}

/// Lower-case letters and digits only, accents removed (`Ü` → `u`, `é` → `e`).
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(strip_accent(c))
            } else {
                None
            }
        })
        .collect()
}

fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ǎ' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ǐ' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ǒ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
        'ç' => 'c',
        'ñ' | 'ń' | 'ň' => 'n',
        other => other,
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Every spelling of `name` (see the module header), folded.
fn spellings(name: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    let han: String = name.chars().filter(|&c| is_han(c)).collect();
    if !han.is_empty() {
        out.insert(han.clone());
        han_spellings(&han, &mut out);
    }
    let latin: String = name.chars().filter(|&c| !is_han(c)).collect();
    latin_spellings(&latin, &mut out);
    if !han.is_empty() && latin.chars().any(char::is_alphabetic) {
        // Mixed (`刘Dingzheng`): each hanzi as its first reading, as a word.
        let mut spelled = String::new();
        for (c, multi) in name.chars().zip(name.to_pinyin_multi()) {
            match multi
                .filter(|_| is_han(c))
                .and_then(|m| m.into_iter().next())
            {
                Some(p) => {
                    spelled.push(' ');
                    spelled.push_str(p.plain());
                    spelled.push(' ');
                }
                None => spelled.push(c),
            }
        }
        latin_spellings(&spelled, &mut out);
    }
    // ü is written u, ü or v in pinyin without tones; spellings compare it as u.
    out.into_iter()
        .filter(|s| s.len() >= 2)
        .map(|s| s.replace('v', "u"))
        .collect()
}

/// Words of a Latin-letter name: split at spaces, hyphens, dots, commas,
/// underscores and lower→upper case changes (`HeZhangJian` → he, zhang, jian).
fn latin_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase();
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
        .iter()
        .map(|w| fold(w))
        .filter(|w| !w.is_empty())
        .collect()
}

fn latin_spellings(name: &str, out: &mut BTreeSet<String>) {
    let words = latin_words(name);
    if words.is_empty() {
        return;
    }
    out.insert(words.concat());
    if words.len() > 1 {
        let n = words.len();
        // Family name last → first, and first → last.
        out.insert(format!("{}{}", words[n - 1], words[..n - 1].concat()));
        out.insert(format!("{}{}", words[1..].concat(), words[0]));
    }
}

fn han_spellings(han: &str, out: &mut BTreeSet<String>) {
    // Every combination of readings, bounded.
    let mut readings: Vec<Vec<String>> = vec![Vec::new()];
    for (c, multi) in han.chars().zip(han.to_pinyin_multi()) {
        let options: Vec<String> = match multi {
            Some(m) => m.into_iter().map(|p| p.plain().to_string()).collect(),
            None => vec![c.to_string()],
        };
        let mut next = Vec::new();
        'outer: for r in &readings {
            for o in &options {
                if next.len() >= MAX_READINGS {
                    break 'outer;
                }
                let mut r = r.clone();
                r.push(fold(o));
                next.push(r);
            }
        }
        readings = next;
    }
    for syllables in readings {
        out.insert(syllables.concat());
        for k in 1..=2 {
            if syllables.len() > k {
                out.insert(format!(
                    "{}{}",
                    syllables[k..].concat(),
                    syllables[..k].concat()
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_person;

    #[test]
    fn pinyin_and_hanzi_are_one_person_in_either_order() {
        assert!(same_person("Zhang Weiwei", "张伟伟"));
        assert!(same_person("Weiwei Zhang", "张伟伟"));
        assert!(same_person("Wei-wei Zhang", "张伟伟"));
        assert!(same_person("张伟伟", "zhang weiwei"));
        assert!(same_person("HeZhangJian", "何章健"));
        assert!(same_person("Zhangjian He", "何章健"));
    }

    #[test]
    fn two_character_family_names_and_heteronyms() {
        // 欧阳 is a two-character family name; 单 reads shan as a family name.
        assert!(same_person("Na Ouyang", "欧阳娜"));
        assert!(same_person("Shan Li", "单莉"));
    }

    #[test]
    fn latin_names_in_either_order_and_with_accents() {
        assert!(same_person("Jane Doe", "Doe Jane"));
        assert!(same_person("Jane  Doe", "jane doe"));
        assert!(same_person("José Ramírez", "Jose Ramirez"));
        // ü is written u, ü or v in pinyin without tones.
        assert!(same_person("Lü Xu", "吕旭"));
        assert!(same_person("Lv Xu", "吕旭"));
        assert!(same_person("Xu Lu", "吕旭"));
    }

    #[test]
    fn different_people_stay_different() {
        assert!(!same_person("Zhang Wei", "李伟"));
        assert!(!same_person("Jane Doe", "John Doe"));
        assert!(!same_person("王芳", "张芳"));
        assert!(!same_person("", "张芳"));
        assert!(!same_person("Li", ""));
    }

    #[test]
    fn a_name_with_both_scripts_matches_either() {
        assert!(same_person("Zhang Weiwei (张伟伟)", "张伟伟"));
        assert!(same_person("张伟伟 Zhang Weiwei", "Weiwei Zhang"));
    }

    #[test]
    fn mixed_scripts_read_each_hanzi_as_a_word() {
        assert!(same_person("Liu Dingzheng", "刘Dingzheng"));
        assert!(same_person("刘Dingzheng", "Dingzheng Liu"));
    }

    #[test]
    fn bios_and_photo_names_mention_a_person() {
        use super::mentions;
        assert!(mentions(
            "Professor Jianmin Wang is the Dean of the School of Software",
            "wang jianmin"
        ));
        assert!(mentions("Du-Junping", "Junping Du"));
        assert!(mentions("Jiang-Ning", "姜宁"));
        assert!(mentions("韩卿，Kyligence联合创始人", "韩卿"));
        assert!(!mentions(
            "ASF Member, Apache Hadoop Committer",
            "Junping Du"
        ));
        // Too short to look for: "Li" is in many words.
        assert!(!mentions("A reliable system", "Li"));
    }

    #[test]
    fn long_runs_of_hanzi_stay_bounded() {
        let long = "行".repeat(200);
        assert!(!same_person(&long, "Zhang Wei"));
    }
}
