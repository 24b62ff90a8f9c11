//! Interop test for the file tail source: a file being appended, rotated (rename + re-create) and truncated,
//! the way logrotate and applications do it; then a restart resumes from the persisted checkpoint.

mod common;

use std::fs::OpenOptions;
use std::io::Write;

use common::*;

fn append(path: &std::path::Path, lines: &[String]) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    f.sync_all().unwrap();
}

#[test]
fn tail_follows_append_rotation_truncation_and_resumes() {
    let logs = tempfile::tempdir().unwrap();
    let file = logs.path().join("app.log");
    let sent = std::cell::RefCell::new(Vec::<String>::new());
    let batch = |n: usize, tag: &str| -> Vec<String> {
        let v: Vec<String> = (0..n)
            .map(|i| match i % 3 {
                0 => format!("{tag} {i} card {CARD}"),
                1 => format!("{tag} {i} db {DB_URL}"),
                _ => format!("{tag} {i} plain"),
            })
            .collect();
        sent.borrow_mut().extend(v.clone());
        v
    };
    append(&file, &batch(3, "before-start"));
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tail\"\nname = \"app\"\npath = \"{}\"\npoll_ms = 20\n[[sink]]\ntype = \"file\"\n",
        file.display()
    ));
    d.wait_lines(3);
    append(&file, &batch(2, "appended"));
    d.wait_lines(5);

    // Rotation: rename, a late write to the old file, then a new file.
    let rotated = logs.path().join("app.log.1");
    std::fs::rename(&file, &rotated).unwrap();
    append(&rotated, &batch(1, "late-write-to-rotated"));
    append(&file, &batch(2, "new-file"));
    d.wait_lines(8);

    // Truncation (copytruncate style), then a short line.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&file, &batch(1, "t"));
    d.wait_lines(9);

    let want: String = sent
        .borrow()
        .iter()
        .map(|l| engine_scrub(l) + "\n")
        .collect();
    assert_eq!(d.output(), want);

    // Restart: the checkpoint is at the end, so only new lines are read (no duplicates in a clean restart).
    assert!(d.stop().success());
    let cp: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.data().join("checkpoints/app.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        cp["offset"].as_u64().unwrap(),
        std::fs::metadata(&file).unwrap().len()
    );
    append(&file, &batch(2, "while-down"));
    d.spawn(std::process::Stdio::null());
    d.wait_lines(11);
    let want: String = sent
        .borrow()
        .iter()
        .map(|l| engine_scrub(l) + "\n")
        .collect();
    // Give a wrong re-read a chance to show up before comparing.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(d.output(), want);
    assert!(d.stop().success());
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn tail_finishes_a_file_rotated_while_the_daemon_was_down() {
    let logs = tempfile::tempdir().unwrap();
    let file = logs.path().join("svc.log");
    append(&file, &[format!("a1 {CARD}"), "a2".to_string()]);
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tail\"\nname = \"svc\"\npath = \"{}\"\npoll_ms = 20\n[[sink]]\ntype = \"file\"\n",
        file.display()
    ));
    d.wait_lines(2);
    assert!(d.stop().success());
    // While down: more lines in the old file, then a rename rotation and a new file.
    append(&file, &["a3 late".to_string()]);
    std::fs::rename(&file, logs.path().join("svc.log.1")).unwrap();
    append(&file, &[format!("b1 {AWS}")]);
    d.spawn(std::process::Stdio::null());
    let out = d.wait_lines(4);
    let want: String = [
        format!("a1 {CARD}"),
        "a2".into(),
        "a3 late".into(),
        format!("b1 {AWS}"),
    ]
    .iter()
    .map(|l| engine_scrub(l) + "\n")
    .collect();
    assert_eq!(out, want);
    assert!(d.stop().success());
    assert_no_raw_on_disk(&d.data());
}

/// Fails on the tail of before, which wrote its first checkpoint only after its first batch was durable: a
/// daemon killed before that (here: the file was empty), with the file rotated while it was down, started in
/// the new file at the next start and never read the old one. The followed file is now recorded at once.
#[test]
fn tail_killed_before_its_first_checkpoint_finds_the_rotated_file() {
    let logs = tempfile::tempdir().unwrap();
    let file = logs.path().join("svc.log");
    append(&file, &[]);
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tail\"\nname = \"svc\"\npath = \"{}\"\npoll_ms = 20\n[[sink]]\ntype = \"file\"\n",
        file.display()
    ));
    let cp = d.data().join("checkpoints").join("svc.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !cp.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "no checkpoint for the followed file before its first line"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    d.kill9();
    // While down: lines in the old file, a rename rotation, a new file.
    append(&file, &[format!("a1 {CARD}"), "a2".to_string()]);
    std::fs::rename(&file, logs.path().join("svc.log.1")).unwrap();
    append(&file, &[format!("b1 {AWS}")]);
    d.spawn(std::process::Stdio::null());
    let out = d.wait_lines(3);
    let want: String = [format!("a1 {CARD}"), "a2".into(), format!("b1 {AWS}")]
        .iter()
        .map(|l| engine_scrub(l) + "\n")
        .collect();
    assert_eq!(out, want);
    assert!(d.stop().success());
    assert_no_raw_on_disk(&d.data());
}
