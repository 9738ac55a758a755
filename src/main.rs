//! Thin binary: everything lives in the library (`fuyuan::cli`).
fn main() {
    std::process::exit(fuyuan::cli::main());
}
