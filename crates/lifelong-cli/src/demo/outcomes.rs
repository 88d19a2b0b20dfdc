//! The demo learners' outcomes: certificates, exams, courses and volunteering that each
//! institution deposits for its learners, from a CSV file through the same use case as a real
//! upload. What a trusted institution deposits counts at once and is recognised under the demo
//! standards; what the others deposit waits in the reviewer's queue.

use lifelong_core::institution::InstitutionKind;

use crate::synthetic::{FakePerson, Generator};

/// One kind of outcome the demo hands out: the file's columns after the ID number and
/// record id.
struct Sample {
    title: &'static str,
    kind: &'static str,
    hours: &'static str,
    score: &'static str,
    certificate_code: &'static str,
    certificate_level: &'static str,
    course_code: &'static str,
}

const fn s(
    title: &'static str,
    kind: &'static str,
    hours: &'static str,
    score: &'static str,
    code: &'static str,
    level: &'static str,
    course: &'static str,
) -> Sample {
    Sample {
        title,
        kind,
        hours,
        score,
        certificate_code: code,
        certificate_level: level,
        course_code: course,
    }
}

/// Vocational and exam outcomes (colleges, universities, training, enterprises).
const VOCATIONAL: &[Sample] = &[
    s(
        "电工（五级/初级工）",
        "skill_certificate",
        "",
        "",
        "6-31-01-03",
        "5",
        "",
    ),
    s(
        "电工（四级/中级工）",
        "skill_certificate",
        "",
        "",
        "6-31-01-03",
        "4",
        "",
    ),
    s(
        "电工（三级/高级工）",
        "skill_certificate",
        "",
        "",
        "6-31-01-03",
        "3",
        "",
    ),
    s(
        "焊工（四级/中级工）",
        "skill_certificate",
        "",
        "",
        "6-18-02-04",
        "4",
        "",
    ),
    s(
        "养老护理员（四级/中级工）",
        "skill_certificate",
        "",
        "",
        "4-10-01-05",
        "4",
        "",
    ),
    s(
        "养老护理员（三级/高级工）",
        "skill_certificate",
        "",
        "",
        "4-10-01-05",
        "3",
        "",
    ),
    s(
        "汽车维修工（四级/中级工）",
        "skill_certificate",
        "",
        "",
        "4-12-01-01",
        "4",
        "",
    ),
    s(
        "中式烹调师（五级/初级工）",
        "skill_certificate",
        "",
        "",
        "4-03-02-01",
        "5",
        "",
    ),
    s(
        "全国计算机等级考试二级",
        "exam_certificate",
        "",
        "",
        "NCRE-2",
        "",
        "",
    ),
    s(
        "全国计算机等级考试一级",
        "exam_certificate",
        "",
        "",
        "NCRE-1",
        "",
        "",
    ),
    s(
        "大学英语四级",
        "exam_certificate",
        "",
        "498",
        "CET-4",
        "",
        "",
    ),
    s("安全生产通用培训", "training", "16", "", "", "", ""),
    s(
        "企业新员工岗位培训",
        "enterprise_training",
        "40",
        "",
        "",
        "",
        "",
    ),
];

/// Community and elderly-university courses, online learning and volunteering.
const LEISURE: &[Sample] = &[
    s(
        "书法（楷书入门）",
        "elderly_course",
        "32",
        "",
        "",
        "",
        "SHLE-SF-101",
    ),
    s(
        "太极拳（二十四式）",
        "elderly_course",
        "24",
        "",
        "",
        "",
        "SHLE-TJ-124",
    ),
    s("智能手机应用", "community_course", "12", "", "", "", ""),
    s("沪语与海派文化", "community_course", "10", "", "", "", ""),
    s("人工智能通识（在线）", "online_course", "6", "", "", "", ""),
    s("社区志愿服务", "volunteering", "40", "", "", "", ""),
];

/// The outcomes an institution of `kind` deposits for its learners, as a CSV file; `None`
/// when it deposits none. Each learner gets one to three outcomes.
pub fn deposit_csv(
    kind: InstitutionKind,
    learners: &[FakePerson],
    gen: &mut Generator,
    prefix: &str,
) -> Option<String> {
    let pool: &[Sample] = match kind {
        InstitutionKind::ElderlyUniversity
        | InstitutionKind::CommunityCollege
        | InstitutionKind::CommunitySchool => LEISURE,
        InstitutionKind::RegionalBank => return None,
        _ => VOCATIONAL,
    };
    if learners.is_empty() {
        return None;
    }
    let mut csv = String::from(
        "身份证号码,机构记录编号,成果名称,成果类型,完成日期,学时,成绩,证书代码,证书等级,课程代码\n",
    );
    let mut n = 0;
    for person in learners {
        let count = 1 + gen.below(3);
        let mut used = Vec::with_capacity(count);
        for _ in 0..count {
            let pick = gen.below(pool.len());
            if used.contains(&pick) {
                continue;
            }
            used.push(pick);
            let sample = &pool[pick];
            n += 1;
            let year = 2019 + gen.below(7);
            let month = 1 + gen.below(12);
            let day = 1 + gen.below(28);
            csv.push_str(&format!(
                "{},{prefix}-{n:05},{},{},{year}-{month:02}-{day:02},{},{},{},{},{}\n",
                person.id_number,
                sample.title,
                sample.kind,
                sample.hours,
                sample.score,
                sample.certificate_code,
                sample.certificate_level,
                sample.course_code
            ));
        }
    }
    Some(csv)
}

/// The demo learner's own outcomes, deposited by the open university: a varied archive to
/// look at when signing in as the learner.
pub fn learner_csv(id_number: &str) -> String {
    let rows = [
        (
            "LX-001",
            "大学英语四级",
            "exam_certificate",
            "2009-06-20",
            "",
            "512",
            "CET-4",
            "",
            "",
        ),
        (
            "LX-002",
            "全国计算机等级考试二级",
            "exam_certificate",
            "2010-03-28",
            "",
            "",
            "NCRE-2",
            "",
            "",
        ),
        (
            "LX-003",
            "养老护理员（四级/中级工）",
            "skill_certificate",
            "2021-11-05",
            "",
            "",
            "4-10-01-05",
            "4",
            "",
        ),
        (
            "LX-004",
            "书法（楷书入门）",
            "elderly_course",
            "2024-06-28",
            "32",
            "",
            "",
            "",
            "SHLE-SF-101",
        ),
        (
            "LX-005",
            "安全生产通用培训",
            "training",
            "2025-04-18",
            "16",
            "",
            "",
            "",
            "",
        ),
    ];
    let mut csv = String::from(
        "身份证号码,机构记录编号,成果名称,成果类型,完成日期,学时,成绩,证书代码,证书等级,课程代码\n",
    );
    for (ext, title, kind, date, hours, score, code, level, course) in rows {
        csv.push_str(&format!(
            "{id_number},{ext},{title},{kind},{date},{hours},{score},{code},{level},{course}\n"
        ));
    }
    csv
}
