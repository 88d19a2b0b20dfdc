//! What can be wrong with an uploaded file as a whole (`FileError`), and the row-level problem
//! record shown in a dry run (`RowError`), each explainable to staff in Chinese or English.

use lifelong_core::{Explain, Lang};
use serde::{Deserialize, Serialize};

use crate::schema::Label;

/// Why a file cannot be read as a table at all. Nothing in the file is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// No bytes, or nothing but blank lines, spaces and empty cells.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than the configured limit, refused before parsing; or a workbook
    /// whose entries unpack to more than 100 times the limit (then `found` is the unpacked size).
    #[error("the file has {found} bytes, more than the limit of {max_bytes}")]
    TooLarge { max_bytes: usize, found: usize },
    /// More data rows than the limit; reading stopped at the first row over it.
    #[error("the file has at least {found_at_least} data rows, more than the limit of {max}")]
    TooManyRows { max: usize, found_at_least: usize },
    /// Binary content: NUL bytes or control characters other than tab, CR and LF.
    #[error("the file is neither a workbook nor text")]
    NotText,
    /// Text in an encoding we cannot decode without loss.
    #[error("the text encoding of the file cannot be recognised")]
    Encoding,
    /// A ZIP file that is not a readable .xlsx workbook.
    #[error("the file is a ZIP archive but not a readable .xlsx workbook")]
    InvalidXlsx,
    /// A legacy binary .xls workbook, or an encrypted (password-protected) workbook.
    #[error("the file is a legacy .xls or encrypted workbook")]
    OldExcel,
    /// A workbook without any worksheet.
    #[error("the workbook has no worksheet")]
    NoSheet,
    /// The first non-blank row names none of the expected columns.
    #[error("the first row is not a header naming the expected columns")]
    MissingHeader,
    /// Required columns are absent from the header row.
    #[error("required columns are missing: {missing:?}")]
    MissingColumns {
        /// Schema keys of the missing columns, in schema order.
        missing: Vec<&'static str>,
        /// Their labels, in the same order, for messages.
        labels: Vec<Label>,
    },
    /// Two header cells name the same column.
    #[error("column `{key}` appears twice (second header: {header:?})")]
    DuplicateColumn {
        /// The second header text as written in the file (trimmed).
        header: String,
        /// The schema key both headers name.
        key: &'static str,
    },
    /// Malformed CSV, e.g. a quote that is never closed.
    #[error("malformed CSV at row {row}: {detail}")]
    Csv { row: usize, detail: String },
    /// A template workbook could not be written (an internal fault, not the user's).
    #[error("the template workbook could not be written: {detail}")]
    TemplateWrite { detail: String },
}

impl Explain for FileError {
    fn code(&self) -> &'static str {
        match self {
            FileError::Empty => "file_empty",
            FileError::TooLarge { .. } => "file_too_large",
            FileError::TooManyRows { .. } => "file_too_many_rows",
            FileError::NotText => "file_not_text",
            FileError::Encoding => "file_encoding",
            FileError::InvalidXlsx => "file_invalid_xlsx",
            FileError::OldExcel => "file_old_excel",
            FileError::NoSheet => "file_no_sheet",
            FileError::MissingHeader => "file_missing_header",
            FileError::MissingColumns { .. } => "file_missing_columns",
            FileError::DuplicateColumn { .. } => "file_duplicate_column",
            FileError::Csv { .. } => "file_malformed_csv",
            FileError::TemplateWrite { .. } => "file_template_failed",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            FileError::Empty => lang
                .pick(
                    "文件是空的。请填写数据后再上传。",
                    "The file is empty. Fill in the data and upload it again.",
                )
                .to_owned(),
            FileError::TooLarge { max_bytes, .. } => {
                // The limit only: for a workbook the size found is its unpacked size, which
                // would puzzle a person who sees a smaller file.
                let max = megabytes(*max_bytes);
                if zh {
                    format!("文件太大，最大只能上传 {max} MB 的文件。请分成几个文件上传。")
                } else {
                    format!(
                        "The file is too large; the limit is {max} MB. Split it into several \
                         files."
                    )
                }
            }
            FileError::TooManyRows { max, .. } => {
                if zh {
                    format!("文件的数据超过 {max} 行。请分成几个文件上传，每个不超过 {max} 行。")
                } else {
                    format!(
                        "The file has more than {max} data rows. Split it into several files \
                         of at most {max} rows each."
                    )
                }
            }
            FileError::NotText => lang
                .pick(
                    "无法读取这个文件：它既不是 Excel 工作簿（.xlsx），也不是 CSV 文本文件。\
                     请用下载的模板填写，保存为 .xlsx 或 CSV 后再上传。",
                    "This file cannot be read: it is neither an Excel workbook (.xlsx) nor a \
                     CSV text file. Fill in the downloaded template and save it as .xlsx or CSV.",
                )
                .to_owned(),
            FileError::Encoding => lang
                .pick(
                    "无法识别文件中文字的编码。请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”\
                     或 Excel 工作簿（.xlsx）后再上传。",
                    "The text encoding of the file is not recognised. In Excel, use \"Save As\" \
                     with \"CSV UTF-8 (Comma delimited)\" or Excel Workbook (.xlsx) and upload \
                     it again.",
                )
                .to_owned(),
            FileError::InvalidXlsx => lang
                .pick(
                    "这个文件无法作为 Excel 工作簿打开，可能已损坏，或者是改了扩展名的其他文件。\
                     请在 Excel 中重新“另存为” .xlsx 后再上传。",
                    "This file cannot be opened as an Excel workbook. It may be damaged, or it \
                     may be another kind of file renamed to .xlsx. Open it in Excel, use \
                     \"Save As\" .xlsx and upload it again.",
                )
                .to_owned(),
            FileError::OldExcel => lang
                .pick(
                    "这是旧版 Excel 文件（.xls）或设置了密码的工作簿，无法读取。\
                     请在 Excel 中取消密码，并“另存为” .xlsx 后再上传。",
                    "This is an old-style Excel file (.xls) or a password-protected workbook, \
                     which cannot be read. Remove the password in Excel, use \"Save As\" .xlsx \
                     and upload it again.",
                )
                .to_owned(),
            FileError::NoSheet => lang
                .pick(
                    "工作簿里没有工作表。请把数据填在模板的第一个工作表中。",
                    "The workbook has no worksheet. Put the data in the template's first sheet.",
                )
                .to_owned(),
            FileError::MissingHeader => lang
                .pick(
                    "找不到表头。文件的第一行应当是列名（与模板第一行相同），数据从第二行开始。\
                     请下载模板，把数据填进模板后再上传。",
                    "No header row was found. The first row must hold the column names, as in \
                     the template, with data from the second row on. Download the template, \
                     fill it in and upload it again.",
                )
                .to_owned(),
            FileError::MissingColumns { labels, .. } => {
                let names = quote_list(labels.iter().map(|l| l.pick(lang)), lang);
                if zh {
                    format!("缺少必填的列：{names}。请检查第一行的列名是否与模板一致。")
                } else {
                    format!(
                        "Required columns are missing: {names}. Check that the first row has \
                         the same column names as the template."
                    )
                }
            }
            FileError::DuplicateColumn { header, .. } => {
                if zh {
                    format!("“{header}”这一列出现了不止一次。请删除重复的列后再上传。")
                } else {
                    format!(
                        "The column \"{header}\" appears more than once. Delete the duplicate \
                         column and upload the file again."
                    )
                }
            }
            FileError::Csv { row, .. } => {
                if zh {
                    format!(
                        "CSV 文件第 {row} 行的格式不正确，常见原因是单元格里有不成对的英文双引号。\
                         请检查后重新保存。"
                    )
                } else {
                    format!(
                        "The CSV file is malformed at row {row}; usually a cell has an unmatched \
                         double quote. Check it and save the file again."
                    )
                }
            }
            FileError::TemplateWrite { .. } => lang
                .pick(
                    "模板生成失败，请稍后再试。",
                    "The template could not be created. Please try again later.",
                )
                .to_owned(),
        }
    }
}

/// Bytes as megabytes with one decimal, for messages.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64).saturating_mul(10).div_ceil(1024 * 1024);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `“姓名”、“身份证号码”` or `"Name", "ID number"`.
fn quote_list<'a>(names: impl Iterator<Item = &'a str>, lang: Lang) -> String {
    let mut out = String::new();
    for name in names {
        match lang {
            Lang::Zh => {
                if !out.is_empty() {
                    out.push('、');
                }
                out.push('“');
                out.push_str(name);
                out.push('”');
            }
            Lang::En => {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push('"');
                out.push_str(name);
                out.push('"');
            }
        }
    }
    out
}

/// A row-level problem for the dry-run report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The row number a person sees in Excel (header row is 1).
    pub row: usize,
    /// The schema key of the column, when the problem is about one cell.
    pub column: Option<String>,
    /// Stable snake_case code.
    pub code: String,
    /// Plain-words message in the requested language.
    pub message: String,
}

impl RowError {
    /// A row error from anything that explains itself, e.g. a domain parse error.
    pub fn explained(row: usize, column: Option<&str>, error: &dyn Explain, lang: Lang) -> Self {
        RowError {
            row,
            column: column.map(str::to_owned),
            code: error.code().to_owned(),
            message: error.message(lang),
        }
    }
}

/// A format-level problem found in one row while reading; the row is still returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellProblem {
    /// A CSV row has non-empty cells beyond the header's last column.
    ExtraCells,
    /// An xlsx number with 16 or more digits, which Excel cannot store exactly.
    LostDigits,
    /// An xlsx cell holding a formula error such as `#N/A`; read as empty.
    FormulaError,
}

impl Explain for CellProblem {
    fn code(&self) -> &'static str {
        match self {
            CellProblem::ExtraCells => "row_extra_cells",
            CellProblem::LostDigits => "cell_lost_digits",
            CellProblem::FormulaError => "cell_formula_error",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            CellProblem::ExtraCells => lang.pick(
                "这一行的单元格比表头多，多出的内容已忽略。可能是某个单元格里有英文逗号却没有加引号，\
                 导致后面的内容错了列。",
                "This row has more cells than the header; the extra cells were ignored. A value \
                 may contain a comma without quotes, shifting the cells after it.",
            ),
            CellProblem::LostDigits => lang.pick(
                "这个数字超过 15 位，Excel 把它存成数字时丢失了末尾几位（例如身份证号码）。\
                 请把这一列设置为“文本”格式，然后重新输入。",
                "This number has more than 15 digits, and Excel lost its last digits when it \
                 stored it as a number (an ID number, for example). Format the column as Text \
                 and type the value again.",
            ),
            CellProblem::FormulaError => lang.pick(
                "单元格里是公式错误（例如 #N/A），已按空白处理。",
                "The cell holds a formula error (such as #N/A) and was read as empty.",
            ),
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_name_labels() {
        let error = FileError::MissingColumns {
            missing: vec!["name", "id_number"],
            labels: vec![
                Label {
                    zh: "姓名",
                    en: "Name",
                },
                Label {
                    zh: "身份证号码",
                    en: "ID number",
                },
            ],
        };
        assert_eq!(error.code(), "file_missing_columns");
        assert!(error.message(Lang::Zh).contains("“姓名”、“身份证号码”"));
        assert!(error.message(Lang::En).contains("\"Name\", \"ID number\""));
        let too_many = FileError::TooManyRows {
            max: 100_000,
            found_at_least: 100_001,
        };
        assert_eq!(too_many.code(), "file_too_many_rows");
        assert!(too_many.message(Lang::Zh).contains("100000"));
        let large = FileError::TooLarge {
            max_bytes: 32 * 1024 * 1024,
            found: 40 * 1024 * 1024,
        };
        assert!(large.message(Lang::En).contains("the limit is 32.0 MB"));
        assert!(large.message(Lang::Zh).contains("32.0 MB"));
    }

    #[test]
    fn row_error_serializes_plainly() {
        let error = RowError::explained(7, Some("name"), &CellProblem::FormulaError, Lang::En);
        assert_eq!(error.code, "cell_formula_error");
        assert_eq!(error.row, 7);
        assert_eq!(error.column.as_deref(), Some("name"));
    }
}
