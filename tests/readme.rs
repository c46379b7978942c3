//! Every C example in the README compiles, with strict warnings, against
//! the committed header.

mod common;

use std::process::Command;

use common::cprog::{C_STRICT, root, run, text};

#[test]
fn readme_c_blocks_compile() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks: Vec<&str> =
        readme.split("```c\n").skip(1).map(|rest| rest.split("\n```").next().unwrap_or_default()).collect();
    assert!(blocks.len() >= 2, "the README has its C examples");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (i, block) in blocks.iter().enumerate() {
        let source = dir.join(format!("readme_{i}.c"));
        std::fs::write(&source, block).unwrap();
        let out = run(Command::new("cc")
            .args(C_STRICT)
            .args(["-c", "-o"])
            .arg(dir.join(format!("readme_{i}.o")))
            .arg("-I")
            .arg(root().join("include"))
            .arg(&source));
        assert!(out.status.success(), "README C block {i} does not compile:\n{block}\n{}", text(&out.stderr));
    }
}
