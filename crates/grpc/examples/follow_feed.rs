//! A small consumer of the Bàn Giao event feed: it follows the published events over gRPC and
//! resumes exactly where it stopped, across restarts and broken connections.
//!
//! ```text
//! BANGIAO_TOKEN=bg_… cargo run -p bangiao-grpc --example follow_feed -- \
//!     http://127.0.0.1:50051 feed.position [FONDS_CODE…]
//! ```
//!
//! The file `feed.position` holds the position of the last event (or checkpoint) handled. The
//! feed is at least once: after a crash between handling an event and saving its position, the
//! event comes again, so handling must be idempotent (here: keyed by `event_id`).

use std::path::Path;
use std::time::Duration;

use bangiao_grpc::pb::feed_client::FeedClient;
use bangiao_grpc::pb::subscribe_response::Message;
use bangiao_grpc::pb::{Event, SubscribeRequest};
use futures::StreamExt;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The last position handled, 0 when none.
fn load(path: &Path) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0)
}

/// Saves the position handled: written beside, then renamed over, so a crash leaves the old or
/// the new position, never half of one.
fn save(path: &Path, position: u64) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, position.to_string())?;
    std::fs::rename(temporary, path)
}

/// What this consumer does with an event: here, print it.
fn handle(event: &Event) {
    let actor = event
        .metadata
        .as_ref()
        .and_then(|m| m.actor.as_ref())
        .map_or("-", |a| a.user_id.as_str());
    println!(
        "{:>8} {:<24} {:<28} {} by {actor}",
        event.position, event.stream, event.event_type, event.event_id
    );
}

/// Follows the feed from the saved position until the connection breaks.
async fn follow(address: &str, token: &str, state: &Path, fonds: &[String]) -> Result<(), Error> {
    let mut client = FeedClient::connect(address.to_owned()).await?;
    let mut request = tonic::Request::new(SubscribeRequest {
        from_position: load(state) + 1,
        fonds_codes: fonds.to_vec(),
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse()?);
    let mut feed = client.subscribe(request).await?.into_inner();
    while let Some(message) = feed.next().await {
        match message?.message {
            Some(Message::Event(event)) => {
                handle(&event);
                save(state, event.position)?;
            }
            Some(Message::Checkpoint(checkpoint)) => save(state, checkpoint.position)?,
            None => {}
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let address = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:50051".into());
    let state = args.next().unwrap_or_else(|| "feed.position".into());
    let fonds: Vec<String> = args.collect();
    let token = std::env::var("BANGIAO_TOKEN").map_err(|_| "set BANGIAO_TOKEN")?;
    loop {
        match follow(&address, &token, Path::new(&state), &fonds).await {
            Ok(()) => eprintln!("the feed ended; reconnecting"),
            Err(error) => {
                let refused = error.downcast_ref::<tonic::Status>().is_some_and(|s| {
                    matches!(
                        s.code(),
                        tonic::Code::Unauthenticated | tonic::Code::PermissionDenied
                    )
                });
                if refused {
                    return Err(error);
                }
                eprintln!("feed interrupted ({error}); reconnecting in 2 s");
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
