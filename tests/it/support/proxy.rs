//! A TCP proxy a test can cut, to play "PostgreSQL went down" without stopping the shared
//! server: while down it drops every open connection and refuses new ones.

use std::sync::{
    atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    Arc,
};

use tokio::net::{TcpListener, TcpStream};

/// A running proxy to `target`.
#[derive(Clone)]
pub struct CuttableProxy {
    /// Port it listens on (127.0.0.1).
    pub port: u16,
    down: Arc<AtomicBool>,
    epoch: Arc<AtomicU64>,
    open: Arc<AtomicUsize>,
}

impl CuttableProxy {
    /// Starts forwarding `127.0.0.1:<port>` to `target`.
    pub async fn start(target: &str) -> CuttableProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let proxy = CuttableProxy { port, down: Arc::default(), epoch: Arc::default(), open: Arc::default() };
        let (target, this) = (target.to_owned(), proxy.clone());
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                if this.down.load(Ordering::SeqCst) {
                    continue; // dropped: connection closed at once
                }
                let (target, this) = (target.clone(), this.clone());
                tokio::spawn(async move { this.pipe(inbound, &target).await });
            }
        });
        proxy
    }

    async fn pipe(&self, mut inbound: TcpStream, target: &str) {
        // The epoch is read before connecting: a cut while this connection was being made
        // closes it (it must not outlive the cut, nor be missed by it).
        let epoch = self.epoch.load(Ordering::SeqCst);
        let Ok(mut outbound) = TcpStream::connect(target).await else { return };
        self.open.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) || self.epoch.load(Ordering::SeqCst) != epoch {
            self.open.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        let watch = {
            let this = self.clone();
            async move {
                while this.epoch.load(Ordering::SeqCst) == epoch {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            }
        };
        tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
            _ = watch => {}
        }
        drop((inbound, outbound));
        self.open.fetch_sub(1, Ordering::SeqCst);
    }

    /// Cuts every connection (returns once all are closed) and refuses new ones until
    /// [`CuttableProxy::restore`].
    pub async fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.epoch.fetch_add(1, Ordering::SeqCst);
        let started = std::time::Instant::now();
        while self.open.load(Ordering::SeqCst) > 0 {
            assert!(started.elapsed() < std::time::Duration::from_secs(20), "connections stayed open through the cut");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}
