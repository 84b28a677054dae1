fn main() -> std::process::ExitCode {
    casedesk::cli::main()
}
