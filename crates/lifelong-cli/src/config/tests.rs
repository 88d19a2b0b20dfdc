//! Tests of the configuration layers, the documented defaults and the shipped example.

use std::io::Write;

use super::*;

fn as_value(config: &Config) -> toml::Value {
    toml::Value::try_from(config).unwrap()
}

fn env(pairs: &[(&str, &str)]) -> Env {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn file_with(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

#[test]
fn documented_defaults_are_the_defaults_and_document_every_key() {
    // Comparing as TOML values means every key that has a default must be written out in the
    // documented text, with the value the code uses.
    let parsed: toml::Value = toml::from_str(DEFAULT_TOML).unwrap();
    assert_eq!(parsed, as_value(&Config::default()));
    assert_eq!(
        as_value(&Config::from_toml(DEFAULT_TOML).unwrap()),
        as_value(&Config::default())
    );
}

#[test]
fn the_shipped_example_is_in_step_with_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/lifelong.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let example = Config::from_toml(&text).unwrap();
    assert_eq!(as_value(&example), as_value(&Config::default()));
}

#[test]
fn an_empty_file_is_all_defaults() {
    let config = Config::from_toml("").unwrap();
    assert_eq!(as_value(&config), as_value(&Config::default()));
}

#[test]
fn unknown_keys_are_an_error_naming_the_key() {
    let err = Config::from_toml("lisen = \"127.0.0.1:9000\"\n").unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("unknown field `lisen`"), "{text}");
    assert!(text.contains("listen"), "suggests the known keys: {text}");

    let err = Config::from_toml("[app]\nbulk_max_rowz = 5\n").unwrap_err();
    assert!(format!("{err:#}").contains("bulk_max_rowz"));

    let err = Config::from_toml("[web]\npublic_uri = \"x\"\n").unwrap_err();
    assert!(format!("{err:#}").contains("public_uri"));

    let file = file_with("[nonsense]\n");
    let flags = Overrides {
        config: Some(file.path().to_owned()),
        ..Overrides::default()
    };
    let err = Config::load(&flags, &Env::new()).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("invalid configuration file"), "{text}");
    assert!(text.contains("nonsense"), "{text}");
}

#[test]
fn bad_values_are_explained() {
    let err = Config::from_toml("listen = \"nowhere\"\n").unwrap_err();
    assert!(format!("{err:#}").contains("listen") || format!("{err:#}").contains("address"));
    let err = Config::from_toml("[log]\nformat = \"xml\"\n").unwrap_err();
    assert!(format!("{err:#}").contains("xml"));
    let err = Config::load(
        &Overrides::default(),
        &env(&[("LIFELONG_LISTEN", "not an address")]),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("LIFELONG_LISTEN"));
    let err = Config::load(
        &Overrides::default(),
        &env(&[("LIFELONG_LOG_FORMAT", "yaml")]),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("LIFELONG_LOG_FORMAT"));
}

#[test]
fn layers_apply_in_order_default_file_env_flag() {
    let file = file_with(
        "listen = \"127.0.0.1:7001\"\n\
         data_dir = \"/srv/file\"\n\
         database_url = \"sqlite:///srv/file/x.db\"\n\
         [log]\nformat = \"json\"\n\
         [web]\npublic_url = \"https://file.example\"\n\
         [app]\nbulk_max_rows = 7\n",
    );
    let path = file.path().to_owned();

    // Defaults only.
    let loaded = Config::load(&Overrides::default(), &Env::new()).unwrap();
    assert_eq!(loaded.config.listen.port(), 8080);
    assert!(loaded.file.is_none());

    // The file, named by the environment, over the defaults.
    let file_env = env(&[(CONFIG_ENV, path.to_str().unwrap())]);
    let c = Config::load(&Overrides::default(), &file_env)
        .unwrap()
        .config;
    assert_eq!(c.listen.port(), 7001);
    assert_eq!(c.data_dir, PathBuf::from("/srv/file"));
    assert_eq!(c.log.format, LogFormat::Json);
    assert_eq!(c.web.public_url, "https://file.example");
    assert_eq!(c.app.bulk_max_rows, 7);
    assert_eq!(
        c.app.session_hours, 12,
        "untouched keys keep their defaults"
    );

    // The environment over the file.
    let mut both = file_env.clone();
    both.extend(env(&[
        ("LIFELONG_LISTEN", "127.0.0.1:7002"),
        ("LIFELONG_DATA_DIR", "/srv/env"),
        ("LIFELONG_DATABASE_URL", "postgres://u:pw@db/lifelong"),
        ("LIFELONG_LOG_FORMAT", "text"),
        ("LIFELONG_PUBLIC_URL", "https://env.example"),
        ("LIFELONG_KEY_FILE", "/srv/env/k"),
        ("LIFELONG_MASTER_KEY", "ab".repeat(32).as_str()),
    ]));
    let c = Config::load(&Overrides::default(), &both).unwrap().config;
    assert_eq!(c.listen.port(), 7002);
    assert_eq!(c.data_dir, PathBuf::from("/srv/env"));
    assert_eq!(
        c.database_url().unwrap().expose(),
        "postgres://u:pw@db/lifelong"
    );
    assert_eq!(c.log.format, LogFormat::Text);
    assert_eq!(c.web.public_url, "https://env.example");
    assert_eq!(c.key_file(), PathBuf::from("/srv/env/k"));
    assert_eq!(c.master_key.unwrap().expose(), "ab".repeat(32));

    // Flags over the environment; a --config flag over LIFELONG_CONFIG.
    let other = file_with("listen = \"127.0.0.1:7009\"\n");
    let flags = Overrides {
        config: Some(other.path().to_owned()),
        listen: Some("127.0.0.1:7003".parse().unwrap()),
        data_dir: Some(PathBuf::from("/srv/flag")),
        database_url: Some("sqlite:///srv/flag/y.db".into()),
    };
    let loaded = Config::load(&flags, &both).unwrap();
    assert_eq!(loaded.file.as_deref(), Some(other.path()));
    let c = loaded.config;
    assert_eq!(c.listen.port(), 7003);
    assert_eq!(c.data_dir, PathBuf::from("/srv/flag"));
    assert_eq!(
        c.database_url().unwrap().expose(),
        "sqlite:///srv/flag/y.db"
    );
    assert_eq!(c.app.bulk_max_rows, 100_000, "the other file has no [app]");
}

#[test]
fn empty_environment_variables_are_ignored_and_unknown_ones_reported() {
    let loaded = Config::load(
        &Overrides::default(),
        &env(&[
            ("LIFELONG_LISTEN", ""),
            ("LIFELONG_LISTN", "x"),
            ("LIFELONG_NEW_PASSWORD", "x"),
            ("PATH", "/bin"),
        ]),
    )
    .unwrap();
    assert_eq!(loaded.config.listen.port(), 8080);
    assert_eq!(
        loaded.warnings,
        ["ignored unknown environment variable LIFELONG_LISTN"]
    );
}

#[test]
fn derived_paths_follow_the_data_dir() {
    let c = Config {
        data_dir: PathBuf::from("/var/lib/lifelong"),
        ..Config::default()
    };
    assert_eq!(
        c.database_url().unwrap().expose(),
        "sqlite:///var/lib/lifelong/lifelong.db?mode=rwc"
    );
    assert!(c.uses_default_database());
    assert_eq!(
        c.key_file(),
        PathBuf::from("/var/lib/lifelong/keys/master.key")
    );
    let odd = sqlite_url(Path::new("/tmp/a?b#c%d/x.db")).unwrap();
    assert_eq!(odd.expose(), "sqlite:///tmp/a%3Fb%23c%25d/x.db?mode=rwc");
    let relative = Config::default().database_url().unwrap();
    assert!(relative.expose().starts_with("sqlite:///"), "made absolute");
}

#[test]
fn secrets_never_show() {
    let key = "0123456789abcdef".repeat(4);
    let c = Config {
        master_key: Some(Secret::new(key.clone())),
        database_url: Some(DatabaseUrl::new("postgres://lifelong:hunter2@db:5432/ll")),
        ..Config::default()
    };
    let debug = format!("{c:?}");
    assert!(!debug.contains(&key), "{debug}");
    assert!(!debug.contains("hunter2"), "{debug}");
    let shown = c.to_redacted_toml().unwrap();
    assert!(
        !shown.contains(&key) && !shown.contains("hunter2"),
        "{shown}"
    );
    assert!(
        shown.contains("postgres://lifelong:***@db:5432/ll"),
        "{shown}"
    );
    assert_eq!(
        DatabaseUrl::new("postgres://u@h/db").redacted(),
        "postgres://u@h/db"
    );
    assert_eq!(
        DatabaseUrl::new("sqlite:///a/b.db").redacted(),
        "sqlite:///a/b.db"
    );
}
