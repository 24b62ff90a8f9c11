//! Small helpers without log data: UTC timestamps, owner-only files and directories, and the check that a secret
//! file (key, token) is not readable by other users.
//!
//! Everything the daemon writes is created 0600 (files) or 0700 (directories) whatever the umask: segments hold
//! scrubbed data only, but the findings log, the checkpoints and the reload record are still nobody else's.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Creates `dir` and its missing parents as 0700, and makes `dir` itself 0700 (it may have existed).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Options that create a file 0600 (the mode is applied at creation, so the umask cannot widen it).
pub fn private_file() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.mode(0o600);
    o
}

/// Writes `data` to a new or truncated 0600 file.
pub fn write_private(path: &Path, data: &[u8]) -> std::io::Result<File> {
    use std::io::Write;
    let mut f = private_file()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(data)?;
    Ok(f)
}

/// Refuses a secret file (private key, token, pseudonym key) that users other than its owner can read or write.
/// The message names the file and the command that fixes it; it never contains the file's content.
pub fn check_private(path: &Path) -> Result<(), String> {
    let m = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mode = m.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} is accessible by other users (mode {mode:04o}); it holds a secret: run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
    Ok(())
}

/// The current UTC time as RFC 3339 with milliseconds, e.g. `2026-11-28T10:38:44.123Z`.
pub fn rfc3339_now() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, dd) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60,
        d.subsec_millis()
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn private_files_and_the_secret_file_check() {
        let d = tempfile::tempdir().unwrap();
        let sub = d.path().join("a/b");
        super::private_dir(&sub).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&sub), 0o700);
        let f = sub.join("x");
        super::write_private(&f, b"k").unwrap();
        assert_eq!(mode(&f), 0o600);
        assert!(super::check_private(&f).is_ok());
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = super::check_private(&f).unwrap_err();
        assert!(
            e.contains(&format!("chmod 600 {}", f.display())) && e.contains("0644"),
            "{e}"
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }
}
