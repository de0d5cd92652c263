//! The `getolog` command: `serve`, `migrate`, `demo`, `status`.

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
    /// Print the running platform's health (bots by state, recent restarts, scheduler jobs,
    /// nodes) from the database and Redis.
    Status,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve => serve(),
        Command::Migrate => migrate(),
        Command::Demo => demo(),
        Command::Status => status(),
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
        let app = getolog::startup::Application::build(settings, clock).await?;
        let server = app.server_handle();
        actix_web::rt::spawn(async move {
            let signal = stop_signal().await;
            tracing::info!(signal, "stopping: in-flight updates finish first");
            notify_systemd(sd_notify::NotifyState::Stopping);
            server.stop(true).await;
        });
        // The front listens and every bot is started (webhooks register in the background).
        notify_systemd(sd_notify::NotifyState::Ready);
        app.run_until_stopped().await?;
        anyhow::Ok(())
    });
    report(result)
}

/// Waits for SIGTERM (systemd, kill) or SIGINT (Ctrl-C); returns which.
async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        std::future::pending::<()>().await;
        return "none";
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    }
}

/// Tells systemd (`Type=notify`) about a state change; a no-op when not run by systemd.
fn notify_systemd(state: sd_notify::NotifyState<'_>) {
    if let Err(e) = sd_notify::notify(&[state]) {
        tracing::warn!(error = %e, "sd_notify failed");
    }
}

fn status() -> ExitCode {
    let settings = match getolog::config::Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result = actix_web::rt::System::new().block_on(async move {
        print!("{}", getolog::status::report(&settings).await?);
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
