//! `make install` into a staging directory (DESTDIR), then the consumer
//! projects in tests/consumers build against it as a user's would: one with
//! pkg-config and make, one with CMake's find_package. Each links libsynap
//! shared and static, and the programs run against the emulator. The Go
//! binding builds with `-tags synap_pkgconfig` from the same install.
//!
//! The library installed is the one `cargo build` made (the Makefile's
//! LIBDIR pointed at it), so no release build is needed here.

mod common;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::Emu;
use common::cprog::{lib_dir, root, run, text};
use serde_json::json;
use synap_emulator::DEV_API_KEY;

const PREFIX: &str = "/opt/synap";
const VERSION: &str = env!("CARGO_PKG_VERSION");
const MAJOR: &str = env!("CARGO_PKG_VERSION_MAJOR");
const MINOR: &str = env!("CARGO_PKG_VERSION_MINOR");

/// The soname: it carries `0.<minor>` while the major is 0, else the major.
fn soname() -> String {
    if MAJOR == "0" { format!("libsynap.so.0.{MINOR}") } else { format!("libsynap.so.{MAJOR}") }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `make` as a child of the test: without the jobserver of a `make test`
/// that may be running this test.
fn make() -> Command {
    let mut cmd = Command::new("make");
    cmd.env_remove("MAKEFLAGS").env_remove("MFLAGS").env_remove("MAKELEVEL");
    cmd
}

/// Runs `make <target>` for the install into `destdir`.
fn make_install(target: &str, destdir: &Path) {
    let out = run(make()
        .arg("-C")
        .arg(root())
        .arg(target)
        .arg(format!("LIBDIR={}", lib_dir().display()))
        .arg(format!("PREFIX={PREFIX}"))
        .arg(format!("DESTDIR={}", destdir.display())));
    assert!(out.status.success(), "make {target} failed:\n{}{}", text(&out.stdout), text(&out.stderr));
}

/// One staged install that the consumer tests share: DESTDIR.
fn staged() -> &'static Path {
    static STAGE: OnceLock<PathBuf> = OnceLock::new();
    STAGE.get_or_init(|| {
        let destdir = scratch("stage");
        make_install("install", &destdir);
        destdir
    })
}

/// The staged `$DESTDIR$PREFIX`.
fn staged_prefix() -> PathBuf {
    staged().join(PREFIX.trim_start_matches('/'))
}

fn readelf_dynamic(binary: &Path) -> String {
    let out = run(Command::new("readelf").arg("-d").arg(binary));
    assert!(out.status.success(), "readelf -d {}: {}", binary.display(), text(&out.stderr));
    text(&out.stdout)
}

fn needed(binary: &Path) -> Vec<String> {
    readelf_dynamic(binary)
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| Some(l.split('[').nth(1)?.trim_end_matches(']').to_owned()))
        .collect()
}

/// Runs the consumers' programs against the emulator: the shared ones must
/// load libsynap from the install through its soname, the static ones not
/// at all.
fn check_programs(dir: &Path) {
    let shared = dir.join("check_status");
    let static_ = dir.join("check_status_static");
    assert!(needed(&shared).contains(&soname()), "{:?}", needed(&shared));
    assert!(!needed(&static_).iter().any(|n| n.contains("libsynap")), "{:?}", needed(&static_));

    let emu = Emu::start();
    let id = emu.job(json!({"memories": 2}));
    let unknown = "00000000-0000-4000-8000-000000000000";
    for program in [&shared, &static_] {
        let program_run = |args: &[&str]| {
            run(Command::new(program)
                .args(args)
                .env("SYNAP_API_KEY", DEV_API_KEY)
                .env("SYNAP_BASE_URL", &emu.base_url)
                .env("LD_LIBRARY_PATH", staged_prefix().join("lib")))
        };
        let out = program_run(&[&id, "completed", "2"]);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{} {:?}:\n{stdout}{}", program.display(), out.status, text(&out.stderr));
        assert!(stdout.contains(&format!("{id}: completed, 2 memories, libsynap {VERSION}")), "{stdout}");
        // The check itself can fail: a wrong expectation is a mismatch.
        assert_eq!(program_run(&[&id, "completed", "3"]).status.code(), Some(100));
        let out = program_run(&[unknown, "completed", "0"]);
        assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
        assert!(text(&out.stderr).starts_with("SYNAP_NOT_FOUND: HTTP 404"), "{}", text(&out.stderr));
    }
}

#[test]
fn make_install_lays_out_the_library_and_uninstall_removes_it() {
    let destdir = scratch("layout");
    make_install("install", &destdir);
    let prefix = destdir.join(PREFIX.trim_start_matches('/'));
    let lib = prefix.join("lib");

    let real = format!("libsynap.so.{VERSION}");
    let soname = soname();
    assert!(lib.join(&real).symlink_metadata().unwrap().is_file());
    assert_eq!(std::fs::read_link(lib.join(&soname)).unwrap(), Path::new(&real));
    assert_eq!(std::fs::read_link(lib.join("libsynap.so")).unwrap(), Path::new(&soname));
    let dynamic = readelf_dynamic(&lib.join(&real));
    assert!(dynamic.contains(&format!("Library soname: [{soname}]")), "the library has no soname:\n{dynamic}");
    let size = |path: PathBuf| std::fs::metadata(path).unwrap().len();
    assert_eq!(size(lib.join("libsynap.a")), size(lib_dir().join("libsynap.a")));
    for header in ["synap.h", "synap.hpp"] {
        assert_eq!(
            std::fs::read(prefix.join("include").join(header)).unwrap(),
            std::fs::read(root().join("include").join(header)).unwrap()
        );
    }

    // The pkg-config file names the final prefix, not the staging directory.
    let pc = std::fs::read_to_string(lib.join("pkgconfig/synap.pc")).unwrap();
    assert!(pc.contains(&format!("prefix={PREFIX}\n")), "{pc}");
    assert!(pc.contains(&format!("Version: {VERSION}\n")), "{pc}");
    assert!(pc.contains("Libs.private: -l"), "{pc}");
    let config = std::fs::read_to_string(lib.join("cmake/synap/synapConfig.cmake")).unwrap();
    assert!(!config.contains(&destdir.display().to_string()) && !config.contains('@'), "{config}");
    let version = std::fs::read_to_string(lib.join("cmake/synap/synapConfigVersion.cmake")).unwrap();
    assert!(version.contains(&format!("set(PACKAGE_VERSION \"{VERSION}\")")), "{version}");

    make_install("uninstall", &destdir);
    // Nothing built: it says what to do rather than install half.
    let out = run(make()
        .arg("-C")
        .arg(root())
        .args(["install", "LIBDIR=/nonexistent"])
        .arg(format!("PREFIX={PREFIX}"))
        .arg(format!("DESTDIR={}", destdir.display())));
    assert!(!out.status.success() && text(&out.stderr).contains("run `make` first"), "{}", text(&out.stderr));
    let mut left = vec![];
    let mut dirs = vec![destdir.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            if entry.file_type().unwrap().is_dir() { dirs.push(entry.path()) } else { left.push(entry.path()) }
        }
    }
    assert!(left.is_empty(), "make uninstall left {left:?}");
}

#[test]
fn pkg_config_consumer_links_shared_and_static() {
    if !tools::available("pkg-config", "--version", "pkgconf") {
        return;
    }
    let out_dir = scratch("pkg-config");
    let prefix = staged_prefix();
    let out = run(make()
        .arg("-C")
        .arg(root().join("tests/consumers/pkg-config"))
        .arg(format!("OUT={}", out_dir.display()))
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .env("PKG_CONFIG_SYSROOT_DIR", staged())
        .env_remove("PKG_CONFIG_LIBDIR"));
    assert!(out.status.success(), "pkg-config consumer:\n{}{}", text(&out.stdout), text(&out.stderr));
    check_programs(&out_dir);
}

#[test]
fn cmake_consumer_links_shared_and_static() {
    if !tools::available("cmake", "--version", "cmake") {
        return;
    }
    let prefix = staged_prefix();
    let configure = |build: &Path, min_version: &str| {
        run(Command::new("cmake")
            .arg("-S")
            .arg(root().join("tests/consumers/cmake"))
            .arg("-B")
            .arg(build)
            .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display()))
            .arg(format!("-DSYNAP_MIN_VERSION={min_version}")))
    };
    let build = scratch("cmake");
    let same_minor = VERSION.rsplit_once('.').unwrap().0;
    let out = configure(&build, same_minor);
    assert!(out.status.success(), "cmake configure:\n{}{}", text(&out.stdout), text(&out.stderr));
    let out = run(Command::new("cmake").arg("--build").arg(&build));
    assert!(out.status.success(), "cmake build:\n{}{}", text(&out.stdout), text(&out.stderr));
    check_programs(&build);

    // The version file turns down the next ABI: the next major, and while
    // the major is 0 also the next and the previous minor.
    let mut other_abis = vec![format!("{}.0", MAJOR.parse::<u32>().unwrap() + 1)];
    if MAJOR == "0" {
        let minor: u32 = MINOR.parse().unwrap();
        other_abis.push(format!("0.{}", minor + 1));
        if minor > 0 {
            other_abis.push(format!("0.{}", minor - 1));
        }
    }
    for other in other_abis {
        let out = configure(&scratch(&format!("cmake-abi-{other}")), &other);
        assert!(!out.status.success(), "find_package(synap {other}) accepted {VERSION}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&format!("requested version \"{other}\"")), "{stderr}");
    }
}

#[test]
fn go_binding_builds_with_the_installed_pkg_config_file() {
    let Some(mut go) = tools::go() else { return };
    if !tools::available("pkg-config", "--version", "pkgconf") {
        return;
    }
    let prefix = staged_prefix();
    let binary = scratch("go").join("synap.test");
    // Only pkg-config says where the header and library are.
    let out = run(go
        .args(["test", "-c", "-tags", "synap_pkgconfig", "-o"])
        .arg(&binary)
        .arg(".")
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .env("PKG_CONFIG_SYSROOT_DIR", staged())
        .env_remove("PKG_CONFIG_LIBDIR")
        .env_remove("C_INCLUDE_PATH")
        .env_remove("LIBRARY_PATH"));
    assert!(out.status.success(), "go test -c -tags synap_pkgconfig:\n{}", text(&out.stderr));
    assert!(needed(&binary).contains(&soname()), "{:?}", needed(&binary));
    let out = run(Command::new(&binary)
        .args(["-test.v", "-test.run", "TestNotFoundHasItsDetails"])
        .current_dir(tools::go_binding_dir())
        .env("LD_LIBRARY_PATH", prefix.join("lib"))
        .env("SYNAP_EMULATOR", lib_dir().join("synap-emulator")));
    let stdout = text(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("--- PASS: TestNotFoundHasItsDetails"),
        "{stdout}{}",
        text(&out.stderr)
    );
}
