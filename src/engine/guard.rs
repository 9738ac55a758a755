//! Read-only SQL: `fuyuan sql` accepts queries, EXPLAIN of queries, SHOW and DESCRIBE; anything
//! that writes, creates, copies, sets options or reads other files is refused before planning.
//! DataFusion's own `SQLOptions` (no DDL, DML or statements) is a second fence behind this one.
use datafusion::sql::parser::{DFParser, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::{Query, SetExpr, Statement};

use crate::{Error, Result};

fn refuse(what: &str) -> Error {
    Error::Refused(format!(
        "fuyuan sql is read-only: {what} is not allowed (only SELECT, WITH, EXPLAIN, SHOW TABLES, SHOW COLUMNS and DESCRIBE)"
    ))
}

fn first_word(sql: &str) -> String {
    sql.split_whitespace().next().unwrap_or("").to_uppercase()
}

pub fn check_read_only(sql: &str) -> Result<()> {
    let stmts = DFParser::parse_sql(sql).map_err(|e| Error::Query(e.to_string().lines().next().unwrap_or("").to_string()))?;
    if stmts.len() != 1 {
        return Err(Error::Refused(format!("one statement at a time, please (got {})", stmts.len())));
    }
    check(&stmts[0], sql)
}

fn check(stmt: &DfStatement, sql: &str) -> Result<()> {
    match stmt {
        DfStatement::Statement(s) => check_ansi(s, sql),
        DfStatement::Explain(e) => check(&e.statement, sql),
        DfStatement::CreateExternalTable(_) => Err(refuse("CREATE EXTERNAL TABLE (reading other files)")),
        DfStatement::CopyTo(_) => Err(refuse("COPY (writing files)")),
        #[allow(unreachable_patterns)]
        _ => Err(refuse(&first_word(sql))),
    }
}

/// SELECT … INTO creates a table, wherever it stands: in a set operation, a parenthesised query
/// or a CTE.
fn query_has_into(q: &Query) -> bool {
    q.with.as_ref().is_some_and(|w| w.cte_tables.iter().any(|c| query_has_into(&c.query))) || set_has_into(&q.body)
}

fn set_has_into(s: &SetExpr) -> bool {
    match s {
        SetExpr::Select(sel) => sel.into.is_some(),
        SetExpr::Query(q) => query_has_into(q),
        SetExpr::SetOperation { left, right, .. } => set_has_into(left) || set_has_into(right),
        _ => false,
    }
}

fn check_ansi(s: &Statement, sql: &str) -> Result<()> {
    match s {
        Statement::Query(q) => {
            if query_has_into(q) {
                return Err(refuse("SELECT … INTO (creating a table)"));
            }
            Ok(())
        }
        Statement::Explain { statement, .. } => check_ansi(statement, sql),
        Statement::ShowTables { .. } | Statement::ShowColumns { .. } | Statement::ExplainTable { .. } => Ok(()),
        _ => Err(refuse(&first_word(sql))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_pass() {
        for q in
            ["SELECT 1", "WITH a AS (SELECT 1 x) SELECT * FROM a", "EXPLAIN SELECT * FROM litigation", "SHOW TABLES", "DESCRIBE litigation"]
        {
            assert!(check_read_only(q).is_ok(), "{q}");
        }
    }

    #[test]
    fn writes_are_refused() {
        for q in [
            "INSERT INTO litigation VALUES (1)",
            "DELETE FROM penalty",
            "UPDATE penalty SET fine_yuan = 0",
            "CREATE TABLE t AS SELECT 1",
            "CREATE VIEW v AS SELECT 1",
            "DROP TABLE litigation",
            "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'",
            "COPY litigation TO '/tmp/x.csv'",
            "SET datafusion.execution.batch_size = 1",
            "SELECT * INTO t2 FROM litigation",
            "SELECT * INTO t2 FROM litigation UNION ALL SELECT * FROM litigation",
            "(SELECT * INTO t2 FROM litigation)",
            "WITH a AS (SELECT * INTO t3 FROM litigation) SELECT 1",
            "EXPLAIN COPY litigation TO '/tmp/x.parquet'",
            "SELECT 1; DROP TABLE litigation",
        ] {
            let e = check_read_only(q).unwrap_err();
            assert!(matches!(e, Error::Refused(_)), "{q}: {e}");
        }
    }
}
