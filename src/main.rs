//! The `getolog` command: `serve`, `migrate`, `demo`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc malloc: the webhook path allocates many small short-lived
/// buffers across threads, where glibc's arenas showed up as ~10% of the service's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Getolog: sell paid access to private Telegram channels and groups through your own bot.
#[derive(Parser)]
#[command(name = "getolog", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the platform: webhook front, bots, scheduler (configuration from env / .env).
    Serve,
    /// Apply pending database migrations (needs only DATABASE_URL) and exit.
    Migrate,
    /// Run the whole product against the built-in Telegram simulator and print the transcript.
    /// Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaulting to local servers).
    Demo,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve => serve(),
        Command::Migrate => migrate(),
        Command::Demo => demo(),
    }
}

fn serve() -> ExitCode {
    let settings = match getolog::config::Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let _telemetry = getolog::telemetry::init(settings.log_format, settings.sentry_dsn.as_deref());
    let result = actix_web::rt::System::new().block_on(async move {
        let clock = std::sync::Arc::new(getolog::clock::SystemClock);
        getolog::startup::Application::build(settings, clock).await?.run_until_stopped().await?;
        anyhow::Ok(())
    });
    report(result)
}

fn migrate() -> ExitCode {
    let _ = dotenvy::dotenv();
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("configuration: DATABASE_URL is missing");
        return ExitCode::from(2);
    };
    match getolog::db::run_migrations_blocking(&url) {
        Ok(applied) if applied.is_empty() => println!("database is up to date"),
        Ok(applied) => applied.iter().for_each(|m| println!("applied {m}")),
        Err(e) => return report(Err(e.into())),
    }
    ExitCode::SUCCESS
}

fn demo() -> ExitCode {
    let result = actix_web::rt::System::new().block_on(getolog::demo::run());
    report(result)
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
