//! The language of a request, and the texts of the pages.
//!
//! Texts are Rust data, compiled in: the [`texts!`](crate::texts) macro defines each text
//! once with its Chinese and English forms side by side, and produces a struct with one field
//! per text and one constant per language. A template that names a text which does not exist,
//! or a text missing a translation, fails to compile. Each page area declares its own texts
//! next to its handlers; the shared ones (layout, navigation, forms) are here.

use axum::http::{header, HeaderMap};
use lifelong_core::Lang;

/// The cookie that remembers a person's language choice.
pub const LANG_COOKIE: &str = "ll_lang";
/// The cookie that remembers large-text mode.
pub const TEXT_SIZE_COOKIE: &str = "ll_text";

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The request's language: the person's choice (cookie), else `Accept-Language`, else Chinese.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(Lang::from_code) {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::negotiate)
        .unwrap_or_default()
}

/// Defines a texts struct and its two language tables in one place.
#[macro_export]
macro_rules! texts {
    ($name:ident { $($key:ident: $zh:literal | $en:literal,)* }) => {
        /// Texts of one page area, in one language.
        pub struct $name { $(pub $key: &'static str,)* }

        impl $name {
            /// The texts in `lang`.
            pub fn get(lang: lifelong_core::Lang) -> &'static $name {
                const ZH: $name = $name { $($key: $zh,)* };
                const EN: $name = $name { $($key: $en,)* };
                match lang {
                    lifelong_core::Lang::Zh => &ZH,
                    lifelong_core::Lang::En => &EN,
                }
            }
        }
    };
}

texts!(Texts {
    brand: "终身学习服务平台" | "Lifelong Learning Platform",
    brand_short: "终身学习" | "Lifelong",
    skip_to_content: "跳到正文" | "Skip to content",
    nav_home: "首页" | "Home",
    nav_my_account: "我的学习账户" | "My learning account",
    nav_console: "机构工作台" | "Institution console",
    nav_review: "账户审核" | "Account review",
    nav_institutions: "机构" | "Institutions",
    nav_users: "用户" | "Users",
    nav_audit: "审计日志" | "Audit log",
    nav_archive: "我的学习档案" | "My learning archive",
    nav_deposit: "成果存入" | "Deposit outcomes",
    nav_outcome_review: "成果审核" | "Outcome review",
    nav_bank: "学分银行" | "Credit bank",
    nav_conversion: "学分转换" | "Credit conversion",
    nav_conversions: "转换申请" | "Conversion applications",
    nav_password: "修改密码" | "Change password",
    sign_in: "登录" | "Sign in",
    sign_out: "退出登录" | "Sign out",
    register: "注册学习账户" | "Open a learning account",
    switch_lang: "English" | "中文",
    switch_lang_label: "Switch to English" | "切换到中文",
    large_text_on: "大字模式" | "Large text",
    large_text_off: "标准字号" | "Standard text",
    signed_in_as: "当前用户" | "Signed in as",
    footer: "上海市终身学习服务平台 · 学分银行 · 个人信息依法保护"
        | "Shanghai lifelong learning platform · Credit bank · Personal data protected by law",
    optional: "选填" | "optional",
    save: "保存" | "Save",
    next_page: "下一页" | "Next page",
    first_page: "回到第一页" | "First page",
    none_yet: "暂无记录。" | "Nothing here yet.",
    form_has_errors: "请修改以下标出的内容后再提交："
        | "Please correct the marked fields and submit again:",
    status: "状态" | "Status",
    actions: "操作" | "Actions",
    name: "姓名" | "Name",
    id_number: "身份证号码" | "ID number",
    mobile: "手机号码" | "Mobile",
    created_at: "创建时间" | "Created",
    yes: "是" | "Yes",
    no: "否" | "No",
    error_title: "出错了" | "Something went wrong",
    error_back_home: "返回首页" | "Back to the home page",
});

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookie_choice_beats_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-US,en;q=0.9"),
        );
        assert_eq!(request_lang(&h), Lang::En);
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; ll_lang=zh"));
        assert_eq!(request_lang(&h), Lang::Zh);
        assert_eq!(request_lang(&HeaderMap::new()), Lang::Zh);
        assert_eq!(Texts::get(Lang::En).sign_in, "Sign in");
    }
}
