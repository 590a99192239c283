use super::*;
use proptest::prelude::*;

const SQLITE: LexOptions = LexOptions::SQLITE;
const POSTGRES: LexOptions = LexOptions::POSTGRES;
const MYSQL: LexOptions = LexOptions::MYSQL;

/// No dialect features at all: only '...', "...", -- and /* */.
const BARE: LexOptions = LexOptions {
    dollar_quotes: false,
    backslash_escapes: false,
    escape_strings: false,
    backtick_idents: false,
    bracket_idents: false,
    hash_comments: false,
    nested_block_comments: false,
    delimiter_command: false,
    executable_comments: false,
};

fn run(input: &str, options: &LexOptions) -> Vec<(usize, String)> {
    match split(input, options) {
        Ok(statements) => statements.into_iter().map(|s| (s.line, s.sql)).collect(),
        Err(e) => panic!("unexpected error {e} for input {input:?}"),
    }
}

fn stmts(expected: &[(usize, &str)]) -> Vec<(usize, String)> {
    expected.iter().map(|&(l, s)| (l, s.to_string())).collect()
}

struct Case {
    name: &'static str,
    options: LexOptions,
    input: &'static str,
    expected: &'static [(usize, &'static str)],
}

fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        let got = split(case.input, &case.options)
            .map(|v| v.into_iter().map(|s| (s.line, s.sql)).collect::<Vec<_>>());
        let want = stmts(case.expected);
        if got.as_ref() != Ok(&want) {
            failures.push(format!(
                "case {:?}:\n  input: {:?}\n  want:  {want:?}\n  got:   {got:?}",
                case.name, case.input
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn basics() {
    check(&[
        Case {
            name: "empty",
            options: SQLITE,
            input: "",
            expected: &[],
        },
        Case {
            name: "only whitespace, semicolons and comments",
            options: POSTGRES,
            input: " \n ; ;; -- c\n/* d */ ;\n",
            expected: &[],
        },
        Case {
            name: "two statements",
            options: SQLITE,
            input: "CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n",
            expected: &[(1, "CREATE TABLE a (x int)"), (2, "CREATE TABLE b (y int)")],
        },
        Case {
            name: "final statement without terminator",
            options: MYSQL,
            input: "SELECT 1;\n  SELECT 2  \n\n",
            expected: &[(1, "SELECT 1"), (2, "SELECT 2")],
        },
        Case {
            name: "several statements on one line",
            options: BARE,
            input: "SELECT 1; SELECT 2;SELECT 3",
            expected: &[(1, "SELECT 1"), (1, "SELECT 2"), (1, "SELECT 3")],
        },
        Case {
            name: "leading comments dropped, inner and trailing comments kept",
            options: SQLITE,
            input:
                "-- header\n/* block\n comment */ SELECT /* in */ 1 -- tail\n;\n-- only a comment\n",
            expected: &[(3, "SELECT /* in */ 1 -- tail")],
        },
        Case {
            name: "statement spanning lines keeps inner newlines",
            options: POSTGRES,
            input: "\n\nSELECT\n  1,\n  2\n;",
            expected: &[(3, "SELECT\n  1,\n  2")],
        },
        Case {
            name: "CRLF input",
            options: SQLITE,
            input: "SELECT 1;\r\n\r\nSELECT\r\n 2;\r\nSELECT 3\r\n",
            expected: &[(1, "SELECT 1"), (3, "SELECT\r\n 2"), (5, "SELECT 3")],
        },
        Case {
            name: "plain BEGIN / COMMIT are ordinary statements",
            options: SQLITE,
            input: "BEGIN;\nINSERT INTO t VALUES (1);\nEND;\nBEGIN TRANSACTION;\nCOMMIT;",
            expected: &[
                (1, "BEGIN"),
                (2, "INSERT INTO t VALUES (1)"),
                (3, "END"),
                (4, "BEGIN TRANSACTION"),
                (5, "COMMIT"),
            ],
        },
        Case {
            name: "plain BEGIN in MySQL and PostgreSQL",
            options: MYSQL,
            input: "begin;\nbegin work;\ncommit;",
            expected: &[(1, "begin"), (2, "begin work"), (3, "commit")],
        },
        Case {
            name: "plain BEGIN in PostgreSQL",
            options: POSTGRES,
            input: "BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;",
            expected: &[(1, "BEGIN"), (2, "CREATE TABLE t (x int)"), (3, "COMMIT")],
        },
        Case {
            name: "non-ASCII text",
            options: SQLITE,
            input: "INSERT INTO t VALUES ('héllo; wörld');\nSELECT ünïcode FROM 表;",
            expected: &[
                (1, "INSERT INTO t VALUES ('héllo; wörld')"),
                (2, "SELECT ünïcode FROM 表"),
            ],
        },
    ]);
}

#[test]
fn strings_and_identifiers() {
    check(&[
        Case {
            name: "semicolon in string",
            options: BARE,
            input: "INSERT INTO t VALUES ('a;b');SELECT 2",
            expected: &[(1, "INSERT INTO t VALUES ('a;b')"), (1, "SELECT 2")],
        },
        Case {
            name: "doubled quote in string",
            options: SQLITE,
            input: "SELECT 'it''s; fine';SELECT 2",
            expected: &[(1, "SELECT 'it''s; fine'"), (1, "SELECT 2")],
        },
        Case {
            name: "empty strings",
            options: SQLITE,
            input: "SELECT '', '''';SELECT 2",
            expected: &[(1, "SELECT '', ''''"), (1, "SELECT 2")],
        },
        Case {
            name: "backslash is not an escape in SQLite",
            options: SQLITE,
            input: "SELECT 'a\\';SELECT 2",
            expected: &[(1, "SELECT 'a\\'"), (1, "SELECT 2")],
        },
        Case {
            name: "backslash is not an escape in plain PostgreSQL strings",
            options: POSTGRES,
            input: "SELECT 'C:\\';SELECT 2",
            expected: &[(1, "SELECT 'C:\\'"), (1, "SELECT 2")],
        },
        Case {
            name: "MySQL backslash escapes",
            options: MYSQL,
            input: "SELECT 'it\\'s; here', 'back\\\\';SELECT \"q\\\";\"",
            expected: &[
                (1, "SELECT 'it\\'s; here', 'back\\\\'"),
                (1, "SELECT \"q\\\";\""),
            ],
        },
        Case {
            name: "PostgreSQL E'' string with backslash escapes",
            options: POSTGRES,
            input: "SELECT E'it\\'s;';SELECT e'\\\\';SELECT 3",
            expected: &[
                (1, "SELECT E'it\\'s;'"),
                (1, "SELECT e'\\\\'"),
                (1, "SELECT 3"),
            ],
        },
        Case {
            name: "E prefix only counts as a whole word",
            options: POSTGRES,
            input: "SELECT some'\\';SELECT 2",
            expected: &[(1, "SELECT some'\\'"), (1, "SELECT 2")],
        },
        Case {
            name: "E'' is not special without escape_strings",
            options: SQLITE,
            input: "SELECT E'\\';SELECT 2",
            expected: &[(1, "SELECT E'\\'"), (1, "SELECT 2")],
        },
        Case {
            name: "double-quoted identifier with doubled quote",
            options: POSTGRES,
            input: "CREATE TABLE \"we\"\"ird;\" (x int);SELECT 2",
            expected: &[(1, "CREATE TABLE \"we\"\"ird;\" (x int)"), (1, "SELECT 2")],
        },
        Case {
            name: "backtick identifiers",
            options: MYSQL,
            input: "CREATE TABLE `a;``b` (x int);SELECT 2",
            expected: &[(1, "CREATE TABLE `a;``b` (x int)"), (1, "SELECT 2")],
        },
        Case {
            name: "backtick identifiers in SQLite",
            options: SQLITE,
            input: "SELECT `x;y`;SELECT 2",
            expected: &[(1, "SELECT `x;y`"), (1, "SELECT 2")],
        },
        Case {
            name: "backticks are ordinary characters in PostgreSQL",
            options: POSTGRES,
            input: "SELECT `x;y`",
            expected: &[(1, "SELECT `x"), (1, "y`")],
        },
        Case {
            name: "bracket identifiers in SQLite",
            options: SQLITE,
            input: "SELECT [a;b] FROM [t];SELECT 2",
            expected: &[(1, "SELECT [a;b] FROM [t]"), (1, "SELECT 2")],
        },
        Case {
            name: "brackets are array subscripts in PostgreSQL",
            options: POSTGRES,
            input: "SELECT a[1];SELECT '[';SELECT 3",
            expected: &[(1, "SELECT a[1]"), (1, "SELECT '['"), (1, "SELECT 3")],
        },
        Case {
            name: "comment markers inside strings",
            options: MYSQL,
            input: "SELECT '--', '/*', '#';SELECT 2",
            expected: &[(1, "SELECT '--', '/*', '#'"), (1, "SELECT 2")],
        },
        Case {
            name: "quotes inside comments",
            options: SQLITE,
            input: "SELECT 1 -- don't\n;/* it's */SELECT 2",
            expected: &[(1, "SELECT 1 -- don't"), (2, "SELECT 2")],
        },
        Case {
            name: "line numbers after multi-line string",
            options: SQLITE,
            input: "INSERT INTO t VALUES ('a\nb\nc');\nSELECT 2;",
            expected: &[(1, "INSERT INTO t VALUES ('a\nb\nc')"), (4, "SELECT 2")],
        },
        Case {
            name: "line numbers after multi-line identifiers",
            options: SQLITE,
            input: "SELECT \"a\nb\", `c\nd`, [e\nf];\nSELECT 2;",
            expected: &[(1, "SELECT \"a\nb\", `c\nd`, [e\nf]"), (5, "SELECT 2")],
        },
        Case {
            name: "line numbers after escaped newline in MySQL string",
            options: MYSQL,
            input: "SELECT 'a\\\nb';\nSELECT 2;",
            expected: &[(1, "SELECT 'a\\\nb'"), (3, "SELECT 2")],
        },
    ]);
}

#[test]
fn comments() {
    check(&[
        Case {
            name: "line comment hides semicolon",
            options: SQLITE,
            input: "SELECT 1 -- ; not here\n, 2;",
            expected: &[(1, "SELECT 1 -- ; not here\n, 2")],
        },
        Case {
            name: "line comment at end of input",
            options: SQLITE,
            input: "SELECT 1; -- bye",
            expected: &[(1, "SELECT 1")],
        },
        Case {
            name: "hash comment in MySQL",
            options: MYSQL,
            input: "# header; still comment\nSELECT 1 # x;y\n;",
            expected: &[(2, "SELECT 1 # x;y")],
        },
        Case {
            name: "hash is not a comment in PostgreSQL",
            options: POSTGRES,
            input: "SELECT 1 # 2;SELECT 3",
            expected: &[(1, "SELECT 1 # 2"), (1, "SELECT 3")],
        },
        Case {
            name: "block comment hides semicolon",
            options: SQLITE,
            input: "SELECT /* ; */ 1;SELECT 2",
            expected: &[(1, "SELECT /* ; */ 1"), (1, "SELECT 2")],
        },
        Case {
            name: "line numbers after multi-line block comment",
            options: MYSQL,
            input: "/*\n\n*/\nSELECT 1;\n/* a\nb */ SELECT 2;",
            expected: &[(4, "SELECT 1"), (6, "SELECT 2")],
        },
        Case {
            name: "nested block comments in PostgreSQL",
            options: POSTGRES,
            input: "/* outer /* inner; */ still; */ SELECT 1;SELECT 2",
            expected: &[(1, "SELECT 1"), (1, "SELECT 2")],
        },
        Case {
            name: "block comments do not nest in SQLite",
            options: SQLITE,
            input: "/* outer /* inner */ SELECT 1; */",
            expected: &[(1, "SELECT 1"), (1, "*/")],
        },
        Case {
            name: "slash-star-slash is not a closed comment",
            options: SQLITE,
            input: "/*/ ; */SELECT 1",
            expected: &[(1, "SELECT 1")],
        },
        Case {
            name: "minus minus needs two dashes",
            options: SQLITE,
            input: "SELECT 3 - 1;SELECT 2",
            expected: &[(1, "SELECT 3 - 1"), (1, "SELECT 2")],
        },
        Case {
            name: "comment-only statements dropped between statements",
            options: POSTGRES,
            input: "SELECT 1;\n-- a;\n/* b */;\nSELECT 2;",
            expected: &[(1, "SELECT 1"), (4, "SELECT 2")],
        },
    ]);
}

#[test]
fn dollar_quotes() {
    check(&[
        Case {
            name: "function with $$ body",
            options: POSTGRES,
            input: "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.x := 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 2;",
            expected: &[
                (
                    1,
                    "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.x := 1;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql",
                ),
                (7, "SELECT 2"),
            ],
        },
        Case {
            name: "function with $body$ body containing $$",
            options: POSTGRES,
            input: "CREATE FUNCTION g() RETURNS text AS $body$\nSELECT $$;$$ || 'x;';\n$body$ LANGUAGE sql;\nSELECT 3;",
            expected: &[
                (
                    1,
                    "CREATE FUNCTION g() RETURNS text AS $body$\nSELECT $$;$$ || 'x;';\n$body$ LANGUAGE sql",
                ),
                (4, "SELECT 3"),
            ],
        },
        Case {
            name: "tags must match exactly",
            options: POSTGRES,
            input: "SELECT $a$ $b$; $A$ $a$;SELECT 2",
            expected: &[(1, "SELECT $a$ $b$; $A$ $a$"), (1, "SELECT 2")],
        },
        Case {
            name: "DO block",
            options: POSTGRES,
            input: "DO $do$ BEGIN PERFORM 1; END $do$;\nSELECT 2",
            expected: &[(1, "DO $do$ BEGIN PERFORM 1; END $do$"), (2, "SELECT 2")],
        },
        Case {
            name: "positional parameters are not dollar quotes",
            options: POSTGRES,
            input: "PREPARE p AS SELECT $1, $2;EXECUTE p(1, 2);",
            expected: &[(1, "PREPARE p AS SELECT $1, $2"), (1, "EXECUTE p(1, 2)")],
        },
        Case {
            name: "dollar inside identifier is not a dollar quote",
            options: POSTGRES,
            input: "SELECT a$$b, c$d$ FROM t;SELECT 2",
            expected: &[(1, "SELECT a$$b, c$d$ FROM t"), (1, "SELECT 2")],
        },
        Case {
            name: "tag with underscore and digits",
            options: POSTGRES,
            input: "SELECT $_x1$;$_x1$;SELECT 2",
            expected: &[(1, "SELECT $_x1$;$_x1$"), (1, "SELECT 2")],
        },
        Case {
            name: "line numbers after multi-line dollar quote",
            options: POSTGRES,
            input: "SELECT $$\n;\n;\n$$;\nSELECT 2;",
            expected: &[(1, "SELECT $$\n;\n;\n$$"), (5, "SELECT 2")],
        },
        Case {
            name: "dollars are ordinary in SQLite",
            options: SQLITE,
            input: "SELECT $$;$$",
            expected: &[(1, "SELECT $$"), (1, "$$")],
        },
        Case {
            name: "quotes inside dollar quote are not strings",
            options: POSTGRES,
            input: "SELECT $$it's$$;SELECT 2",
            expected: &[(1, "SELECT $$it's$$"), (1, "SELECT 2")],
        },
        Case {
            name: "SQL-standard function body BEGIN ATOMIC",
            options: POSTGRES,
            input: "CREATE FUNCTION h() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\nSELECT 3;",
            expected: &[
                (
                    1,
                    "CREATE FUNCTION h() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND",
                ),
                (6, "SELECT 3"),
            ],
        },
        Case {
            name: "PostgreSQL trigger calling a function",
            options: POSTGRES,
            input: "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f();\nSELECT 2;",
            expected: &[
                (
                    1,
                    "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f()",
                ),
                (2, "SELECT 2"),
            ],
        },
    ]);
}

#[test]
fn sqlite_triggers() {
    check(&[
        Case {
            name: "trigger body",
            options: SQLITE,
            input: "CREATE TRIGGER tr AFTER INSERT ON t\nBEGIN\n  INSERT INTO log VALUES (1);\n  UPDATE c SET n = n + 1;\nEND;\nSELECT 2;",
            expected: &[
                (
                    1,
                    "CREATE TRIGGER tr AFTER INSERT ON t\nBEGIN\n  INSERT INTO log VALUES (1);\n  UPDATE c SET n = n + 1;\nEND",
                ),
                (6, "SELECT 2"),
            ],
        },
        Case {
            name: "temp trigger, lower case, CASE inside",
            options: SQLITE,
            input: "create temp trigger if not exists tr before update on t when new.x > 0 begin select case when new.x > 9 then raise(abort, 'big;') else 1 end; update t set y = case new.x when 1 then 'a' end; end;select 2",
            expected: &[
                (
                    1,
                    "create temp trigger if not exists tr before update on t when new.x > 0 begin select case when new.x > 9 then raise(abort, 'big;') else 1 end; update t set y = case new.x when 1 then 'a' end; end",
                ),
                (1, "select 2"),
            ],
        },
        Case {
            name: "CASE ... END in the WHEN clause before BEGIN",
            options: SQLITE,
            input: "CREATE TEMPORARY TRIGGER tr AFTER INSERT ON t WHEN CASE WHEN new.a THEN 1 END BEGIN SELECT 1; END;SELECT 2",
            expected: &[
                (
                    1,
                    "CREATE TEMPORARY TRIGGER tr AFTER INSERT ON t WHEN CASE WHEN new.a THEN 1 END BEGIN SELECT 1; END",
                ),
                (1, "SELECT 2"),
            ],
        },
        Case {
            name: "keywords inside strings, identifiers and comments do not count",
            options: SQLITE,
            input: "CREATE TRIGGER tr AFTER DELETE ON t BEGIN\n  INSERT INTO log VALUES ('end;', \"end\", [begin]); -- end;\n  /* END; */ DELETE FROM u;\nEND;\nSELECT 2",
            expected: &[
                (
                    1,
                    "CREATE TRIGGER tr AFTER DELETE ON t BEGIN\n  INSERT INTO log VALUES ('end;', \"end\", [begin]); -- end;\n  /* END; */ DELETE FROM u;\nEND",
                ),
                (5, "SELECT 2"),
            ],
        },
        Case {
            name: "keywords as parts of words do not count",
            options: SQLITE,
            input: "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET end_date = begin_date, ended = 1; END;SELECT 2",
            expected: &[
                (
                    1,
                    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET end_date = begin_date, ended = 1; END",
                ),
                (1, "SELECT 2"),
            ],
        },
        Case {
            name: "qualified names after a dot are not keywords",
            options: SQLITE,
            input: "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (new.end, new.case); END;SELECT 2",
            expected: &[
                (
                    1,
                    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (new.end, new.case); END",
                ),
                (1, "SELECT 2"),
            ],
        },
        Case {
            name: "trigger without terminator at end of input",
            options: SQLITE,
            input: "SELECT 1;\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
            expected: &[
                (1, "SELECT 1"),
                (2, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END"),
            ],
        },
        Case {
            name: "BEGIN in CREATE TABLE/VIEW is not a block",
            options: SQLITE,
            input: "CREATE TABLE \"trigger\" (x int);CREATE VIEW v AS SELECT 1 AS begin;SELECT 3",
            expected: &[
                (1, "CREATE TABLE \"trigger\" (x int)"),
                (1, "CREATE VIEW v AS SELECT 1 AS begin"),
                (1, "SELECT 3"),
            ],
        },
    ]);
}

#[test]
fn mysql_compound_statements() {
    check(&[
        Case {
            name: "procedure without DELIMITER",
            options: MYSQL,
            input: "CREATE PROCEDURE p()\nBEGIN\n  DECLARE i INT DEFAULT 0;\n  WHILE i < 3 DO\n    SET i = i + 1;\n  END WHILE;\n  IF i = 3 THEN SELECT 'x;'; ELSE SELECT 2; END IF;\nEND;\nCALL p();",
            expected: &[
                (
                    1,
                    "CREATE PROCEDURE p()\nBEGIN\n  DECLARE i INT DEFAULT 0;\n  WHILE i < 3 DO\n    SET i = i + 1;\n  END WHILE;\n  IF i = 3 THEN SELECT 'x;'; ELSE SELECT 2; END IF;\nEND",
                ),
                (9, "CALL p()"),
            ],
        },
        Case {
            name: "function with LOOP, REPEAT, CASE statement and nested BEGIN",
            options: MYSQL,
            input: "CREATE DEFINER=`root`@`localhost` FUNCTION f(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  DECLARE r INT;\n  l: LOOP LEAVE l; END LOOP l;\n  REPEAT SET x = x - 1; UNTIL x < 0 END REPEAT;\n  CASE x WHEN 1 THEN SET r = 1; ELSE BEGIN SET r = 2; END; END CASE;\n  SET r = CASE WHEN r > 1 THEN 3 ELSE 4 END;\n  RETURN r;\nEND;\nSELECT f(1);",
            expected: &[
                (
                    1,
                    "CREATE DEFINER=`root`@`localhost` FUNCTION f(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  DECLARE r INT;\n  l: LOOP LEAVE l; END LOOP l;\n  REPEAT SET x = x - 1; UNTIL x < 0 END REPEAT;\n  CASE x WHEN 1 THEN SET r = 1; ELSE BEGIN SET r = 2; END; END CASE;\n  SET r = CASE WHEN r > 1 THEN 3 ELSE 4 END;\n  RETURN r;\nEND",
                ),
                (10, "SELECT f(1)"),
            ],
        },
        Case {
            name: "trigger with body",
            options: MYSQL,
            input: "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END;INSERT INTO t VALUES (1)",
            expected: &[
                (
                    1,
                    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END",
                ),
                (1, "INSERT INTO t VALUES (1)"),
            ],
        },
        Case {
            name: "single-statement trigger and function need no body",
            options: MYSQL,
            input: "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;CREATE FUNCTION one() RETURNS INT RETURN 1;SELECT 3",
            expected: &[
                (1, "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1"),
                (1, "CREATE FUNCTION one() RETURNS INT RETURN 1"),
                (1, "SELECT 3"),
            ],
        },
        Case {
            name: "event with body",
            options: MYSQL,
            input: "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END;\nSELECT 2",
            expected: &[
                (
                    1,
                    "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END",
                ),
                (2, "SELECT 2"),
            ],
        },
        Case {
            name: "labelled block, END with label",
            options: MYSQL,
            input: "CREATE PROCEDURE p() lbl: BEGIN SELECT 1; END lbl;SELECT 2",
            expected: &[
                (1, "CREATE PROCEDURE p() lbl: BEGIN SELECT 1; END lbl"),
                (1, "SELECT 2"),
            ],
        },
        Case {
            name: "END followed by a comment then IF",
            options: MYSQL,
            input: "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END /* c */ IF; SELECT 2; END;SELECT 3",
            expected: &[
                (
                    1,
                    "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END /* c */ IF; SELECT 2; END",
                ),
                (1, "SELECT 3"),
            ],
        },
    ]);
}

#[test]
fn mysql_delimiter() {
    check(&[
        Case {
            name: "DELIMITER $$ around a procedure",
            options: MYSQL,
            input: "SELECT 1;\nDELIMITER $$\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND$$\nDELIMITER ;\nCALL p();\n",
            expected: &[
                (1, "SELECT 1"),
                (3, "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND"),
                (8, "CALL p()"),
            ],
        },
        Case {
            name: "DELIMITER // with several statements and lower case",
            options: MYSQL,
            input: "delimiter //\nSELECT 1; SELECT 2 //\nSELECT '//' //\ndelimiter ;\nSELECT 3; SELECT 4",
            expected: &[
                (2, "SELECT 1; SELECT 2"),
                (3, "SELECT '//'"),
                (5, "SELECT 3"),
                (5, "SELECT 4"),
            ],
        },
        Case {
            name: "DELIMITER with CRLF line endings",
            options: MYSQL,
            input: "DELIMITER $$\r\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END $$\r\nDELIMITER ;\r\nSELECT 2;\r\n",
            expected: &[
                (
                    2,
                    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END",
                ),
                (4, "SELECT 2"),
            ],
        },
        Case {
            name: "unbalanced body is still cut by a custom delimiter",
            options: MYSQL,
            input: "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1;;\nSELECT 2;;",
            expected: &[
                (2, "CREATE PROCEDURE p() BEGIN SELECT 1"),
                (3, "SELECT 2"),
            ],
        },
        Case {
            name: "final statement without the custom delimiter",
            options: MYSQL,
            input: "DELIMITER $$\nSELECT 1$$\nSELECT 2",
            expected: &[(2, "SELECT 1"), (3, "SELECT 2")],
        },
        Case {
            name: "DELIMITER word in the middle of a statement is not a command",
            options: MYSQL,
            input: "SELECT delimiter FROM t;SELECT 2",
            expected: &[(1, "SELECT delimiter FROM t"), (1, "SELECT 2")],
        },
        Case {
            name: "DELIMITER after a leading comment",
            options: MYSQL,
            input: "-- set it\nDELIMITER | \nSELECT 1|SELECT 2|",
            expected: &[(3, "SELECT 1"), (3, "SELECT 2")],
        },
        Case {
            name: "no DELIMITER command outside MySQL",
            options: SQLITE,
            input: "DELIMITER $$\nSELECT 1;",
            expected: &[(1, "DELIMITER $$\nSELECT 1")],
        },
    ]);
}

struct ErrorCase {
    name: &'static str,
    options: LexOptions,
    input: &'static str,
    line: usize,
    message: &'static str,
}

#[test]
fn errors() {
    let cases = [
        ErrorCase {
            name: "unterminated string",
            options: SQLITE,
            input: "SELECT 1;\nSELECT 'abc\n;\n",
            line: 2,
            message: "unterminated string literal",
        },
        ErrorCase {
            name: "string ending in doubled quote",
            options: POSTGRES,
            input: "SELECT 'abc''",
            line: 1,
            message: "unterminated string literal",
        },
        ErrorCase {
            name: "MySQL escaped closing quote",
            options: MYSQL,
            input: "\n\nSELECT 'abc\\';",
            line: 3,
            message: "unterminated string literal",
        },
        ErrorCase {
            name: "MySQL trailing backslash",
            options: MYSQL,
            input: "SELECT 'abc\\",
            line: 1,
            message: "unterminated string literal",
        },
        ErrorCase {
            name: "E string escaped closing quote",
            options: POSTGRES,
            input: "SELECT 1;\n\nSELECT E'it\\';\nSELECT 2;",
            line: 3,
            message: "unterminated string literal",
        },
        ErrorCase {
            name: "double-quoted identifier",
            options: POSTGRES,
            input: "SELECT 1;\nSELECT \"abc;\n",
            line: 2,
            message: "unterminated quoted identifier",
        },
        ErrorCase {
            name: "backtick identifier",
            options: MYSQL,
            input: "\n`abc``",
            line: 2,
            message: "unterminated quoted identifier",
        },
        ErrorCase {
            name: "bracket identifier",
            options: SQLITE,
            input: "SELECT 1;\r\nSELECT [abc;\r\n",
            line: 2,
            message: "unterminated quoted identifier",
        },
        ErrorCase {
            name: "block comment",
            options: SQLITE,
            input: "SELECT 1;\n/* open\n\n",
            line: 2,
            message: "unterminated block comment",
        },
        ErrorCase {
            name: "nested block comment",
            options: POSTGRES,
            input: "SELECT 1 /* a /* b */\n*/ /* c /* d */ ;",
            line: 2,
            message: "unterminated block comment",
        },
        ErrorCase {
            name: "dollar quote",
            options: POSTGRES,
            input: "SELECT 1;\n\nCREATE FUNCTION f() AS $$ SELECT 1;\n",
            line: 3,
            message: "unterminated dollar-quoted string $$",
        },
        ErrorCase {
            name: "tagged dollar quote",
            options: POSTGRES,
            input: "DO $body$ BEGIN\nEND $$;\n$Body$",
            line: 1,
            message: "unterminated dollar-quoted string $body$",
        },
        ErrorCase {
            name: "SQLite trigger without END",
            options: SQLITE,
            input:
                "SELECT 1;\nCREATE TRIGGER tr AFTER INSERT ON t\nBEGIN\n  SELECT 1;\nSELECT 2;\n",
            line: 3,
            message: "unterminated BEGIN ... END block",
        },
        ErrorCase {
            name: "trigger whose CASE swallows the END",
            options: SQLITE,
            input: "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2; END;",
            line: 1,
            message: "unterminated BEGIN ... END block",
        },
        ErrorCase {
            name: "MySQL procedure with unclosed nested block",
            options: MYSQL,
            input: "CREATE PROCEDURE p()\nBEGIN\n  BEGIN SELECT 1;\nEND;",
            line: 2,
            message: "unterminated BEGIN ... END block",
        },
        ErrorCase {
            name: "DELIMITER without argument",
            options: MYSQL,
            input: "SELECT 1;\nDELIMITER   \nSELECT 2;",
            line: 2,
            message: "DELIMITER must be followed by a delimiter",
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let want = Err(LexError {
            line: case.line,
            message: case.message.to_string(),
        });
        let got = split(case.input, &case.options);
        if got != want {
            failures.push(format!(
                "case {:?}:\n  want: {want:?}\n  got:  {got:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_display_includes_line() {
    let err = split("SELECT 1;\n'x", &SQLITE).unwrap_err();
    assert_eq!(err.to_string(), "line 2: unterminated string literal");
}

#[test]
fn same_input_differs_by_dialect() {
    // Same input, three dialects, three answers.
    let input = "SELECT 'a\\';SELECT 2 # c;\n;SELECT $$;$$ -- '";
    assert_eq!(
        run(input, &SQLITE),
        stmts(&[
            (1, "SELECT 'a\\'"),
            (1, "SELECT 2 # c"),
            (2, "SELECT $$"),
            (2, "$$ -- '"),
        ])
    );
    assert_eq!(
        run(input, &POSTGRES),
        stmts(&[
            (1, "SELECT 'a\\'"),
            (1, "SELECT 2 # c"),
            (2, "SELECT $$;$$ -- '"),
        ])
    );
    // MySQL: the backslash escapes the quote, so the string runs to the very end.
    assert_eq!(run(input, &MYSQL), stmts(&[(1, input)]));
}

#[test]
fn large_script_is_linear() {
    // ~10 MB: many statements, plus one giant string and one giant comment.
    let mut script = String::new();
    let stmt = "INSERT INTO t (a, b) VALUES (1, 'x;y'); -- c\n";
    let count = 150_000;
    for _ in 0..count {
        script.push_str(stmt);
    }
    script.push_str("SELECT '");
    script.push_str(&"a;".repeat(1_500_000));
    script.push_str("';\n/*");
    script.push_str(&"*;".repeat(1_500_000));
    script.push_str("*/ SELECT 2;\n");
    assert!(script.len() > 9_000_000);
    let started = std::time::Instant::now();
    let out = split(&script, &POSTGRES).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(out.len(), count + 2);
    assert_eq!(out[count - 1].line, count);
    assert_eq!(out[count].line, count + 1);
    assert_eq!(out[count + 1].line, count + 2);
    assert_eq!(out[count + 1].sql, "SELECT 2");
    // Generous even for unoptimised builds; a quadratic splitter would take minutes.
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
}

fn simple_statement() -> impl Strategy<Value = String> {
    let ident = "[a-z][a-z0-9_]{0,8}";
    let string = "'([a-z ;]|'')*'";
    let comment_free = prop_oneof![
        (ident, ident).prop_map(|(t, c)| format!("SELECT {c} FROM {t}")),
        (ident, string).prop_map(|(t, s)| format!("INSERT INTO {t} VALUES ({s})")),
        (ident, ident).prop_map(|(t, c)| format!("CREATE TABLE {t} (\n  {c} INT\n)")),
        (ident, "[a-z;]{0,6}").prop_map(|(t, c)| format!("UPDATE \"{t}\" SET x = 1 /* {c} */")),
    ];
    comment_free
}

proptest! {
    #[test]
    fn join_then_split_roundtrips(
        statements in proptest::collection::vec(simple_statement(), 0..12),
        trailing in any::<bool>(),
        which in 0usize..3,
    ) {
        let options = [SQLITE, POSTGRES, MYSQL][which];
        let mut script = statements.join(";\n");
        if trailing && !statements.is_empty() {
            script.push_str(";\n");
        }
        let got = split(&script, &options).unwrap();
        let sqls: Vec<&str> = got.iter().map(|s| s.sql.as_str()).collect();
        let want: Vec<&str> = statements.iter().map(String::as_str).collect();
        prop_assert_eq!(sqls, want);
        // Each statement starts on the line after the previous one ended.
        let mut line = 1;
        for (statement, out) in statements.iter().zip(&got) {
            prop_assert_eq!(out.line, line);
            line += statement.matches('\n').count() + 1;
        }
    }
}

fn junk() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(";"),
        Just("'"),
        Just("\""),
        Just("`"),
        Just("["),
        Just("]"),
        Just("$$"),
        Just("$t$"),
        Just("$1"),
        Just("\\"),
        Just("--"),
        Just("#"),
        Just("/*"),
        Just("*/"),
        Just("\n"),
        Just("\r\n"),
        Just(" "),
        Just("E'"),
        Just("BEGIN"),
        Just("END"),
        Just("CASE"),
        Just("IF"),
        Just("CREATE TRIGGER"),
        Just("CREATE PROCEDURE"),
        Just("DELIMITER $$\n"),
        Just("DELIMITER ;\n"),
        Just("é"),
        Just("表"),
        Just("x"),
        Just("."),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(input in junk(), which in 0usize..4) {
        let options = [SQLITE, POSTGRES, MYSQL, BARE][which];
        let total_lines = input.matches('\n').count() + 1;
        match split(&input, &options) {
            Ok(statements) => {
                let mut last = 1;
                for s in &statements {
                    prop_assert!(!s.sql.is_empty());
                    prop_assert_eq!(s.sql.trim(), s.sql.as_str());
                    prop_assert!(s.line >= last && s.line <= total_lines);
                    last = s.line;
                }
            }
            Err(e) => prop_assert!(e.line >= 1 && e.line <= total_lines, "{e}"),
        }
    }
}

/// mysqldump's and mariadb-dump's executable comments are statements the server runs;
/// elsewhere, and plain block comments, are skipped as comments.
#[test]
fn mysql_executable_comments_are_statements() {
    let input = "/*!40014 SET FOREIGN_KEY_CHECKS=0 */;\n\
                 /* a comment */;\n\
                 CREATE TABLE t (a int);\n\
                 /*!50001 CREATE VIEW v AS SELECT a FROM t; */;\n\
                 /*M!100100 SET x = 1 */;\n";
    assert_eq!(
        run(input, &MYSQL),
        stmts(&[
            (1, "/*!40014 SET FOREIGN_KEY_CHECKS=0 */"),
            (3, "CREATE TABLE t (a int)"),
            (4, "/*!50001 CREATE VIEW v AS SELECT a FROM t; */"),
            (5, "/*M!100100 SET x = 1 */"),
        ])
    );
    assert_eq!(
        run(input, &POSTGRES),
        stmts(&[(3, "CREATE TABLE t (a int)")])
    );
}
