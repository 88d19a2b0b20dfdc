//! Runs the store conformance suite on SQLite always, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (each test in a fresh database of its own).

mod sqlite {
    use lifelong_store_sql::testing::fresh_sqlite;

    lifelong_store::conformance_suite!(fresh_sqlite);
}

mod postgres {
    use lifelong_store_sql::testing::fresh_postgres;

    lifelong_store::conformance_suite!(fresh_postgres);
}
