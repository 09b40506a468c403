//! The real transport: the official `kurrentdb` gRPC client. Thin glue only; every decision is
//! taken above [`Transport`], where it is tested without a server.

use async_trait::async_trait;
use kurrentdb::{
    AppendToStreamOptions, Client, ClientSettings, EventData, Position, ReadAllOptions,
    ReadStreamOptions, ResolvedEvent, StreamPosition, StreamState, SubscribeToAllOptions,
    SubscriptionEvent, SubscriptionFilter, WriteResult,
};

use super::transport::{Deliveries, Delivery, RawEvent, RawNewEvent, Transport};

/// A KurrentDB cluster (or single node) reached through the official gRPC client.
#[derive(Clone)]
pub struct GrpcTransport {
    client: Client,
}

impl GrpcTransport {
    /// A client for the parsed connection settings; must be called inside a tokio runtime.
    pub fn new(settings: ClientSettings) -> Result<Self, kurrentdb::Error> {
        let client = Client::new(settings)
            .map_err(|e| kurrentdb::Error::InitializationError(e.to_string()))?;
        Ok(Self { client })
    }
}

fn filter(prefixes: &[String]) -> SubscriptionFilter {
    prefixes
        .iter()
        .fold(SubscriptionFilter::on_stream_name(), |f, p| f.add_prefix(p))
}

fn raw(event: &ResolvedEvent) -> RawEvent {
    let e = event.get_original_event();
    RawEvent {
        stream: e.stream_id().to_owned(),
        revision: e.revision,
        event_id: e.id,
        event_type: e.event_type.clone(),
        data: e.data.clone(),
        custom_metadata: e.custom_metadata.clone(),
        position: e.position,
    }
}

fn event_data(e: RawNewEvent) -> EventData {
    let data = if e.is_json {
        match serde_json::from_slice::<&serde_json::value::RawValue>(&e.data)
            .and_then(|raw| EventData::json(&e.event_type, &raw))
        {
            Ok(data) => data,
            Err(_) => EventData::binary(&e.event_type, e.data.clone()),
        }
    } else {
        EventData::binary(&e.event_type, e.data.clone())
    };
    data.id(e.event_id).metadata(e.custom_metadata)
}

async fn drain(mut stream: kurrentdb::ReadStream) -> Result<Vec<RawEvent>, kurrentdb::Error> {
    let mut out = Vec::new();
    while let Some(event) = stream.next().await? {
        out.push(raw(&event));
    }
    Ok(out)
}

#[async_trait]
impl Transport for GrpcTransport {
    async fn append(
        &self,
        stream: &str,
        expected: StreamState,
        events: Vec<RawNewEvent>,
    ) -> Result<WriteResult, kurrentdb::Error> {
        let options = AppendToStreamOptions::default().stream_state(expected);
        let events: Vec<EventData> = events.into_iter().map(event_data).collect();
        self.client.append_to_stream(stream, &options, events).await
    }

    async fn read_all(
        &self,
        from: Option<Position>,
        prefixes: &[String],
        max: usize,
    ) -> Result<Vec<RawEvent>, kurrentdb::Error> {
        let position = from.map_or(StreamPosition::Start, StreamPosition::Position);
        let options = ReadAllOptions::default()
            .forwards()
            .position(position)
            .filter(filter(prefixes))
            .max_count(max)
            .requires_leader(true);
        drain(self.client.read_all(&options).await?).await
    }

    async fn read_stream(
        &self,
        stream: &str,
        from_revision: u64,
        max: usize,
    ) -> Result<Vec<RawEvent>, kurrentdb::Error> {
        let options = ReadStreamOptions::default()
            .forwards()
            .position(StreamPosition::Position(from_revision))
            .max_count(max)
            .requires_leader(true);
        drain(self.client.read_stream(stream, &options).await?).await
    }

    async fn last_event(&self, stream: &str) -> Result<Option<RawEvent>, kurrentdb::Error> {
        let options = ReadStreamOptions::default()
            .position(StreamPosition::End)
            .backwards()
            .max_count(1)
            .requires_leader(true);
        let events = drain(self.client.read_stream(stream, &options).await?).await?;
        Ok(events.into_iter().next())
    }

    fn subscribe_all(&self, from: Option<Position>, prefixes: &[String]) -> Deliveries {
        let position = from.map_or(StreamPosition::Start, StreamPosition::Position);
        let options = SubscribeToAllOptions::default()
            .position(position)
            .filter(filter(prefixes))
            .requires_leader(true);
        let client = self.client.clone();
        // No client-side retry: the follower resubscribes itself from the last event it
        // handled, so the resume rule is ours and tested (see `subscribe::ResumePoint`).
        enum State {
            Start,
            Running(Box<kurrentdb::Subscription>),
            Ended,
        }
        Box::pin(futures::stream::unfold(State::Start, move |state| {
            let client = client.clone();
            let options = options.clone();
            async move {
                let mut sub = match state {
                    State::Start => Box::new(client.subscribe_to_all(&options).await),
                    State::Running(sub) => sub,
                    State::Ended => return None,
                };
                loop {
                    let delivery = match sub.next_subscription_event().await {
                        Ok(SubscriptionEvent::EventAppeared(e)) => Delivery::Event(raw(&e)),
                        Ok(SubscriptionEvent::Checkpoint(p)) => Delivery::Checkpoint(p),
                        Ok(SubscriptionEvent::CaughtUp(_)) => Delivery::CaughtUp,
                        Ok(_) => continue,
                        Err(e) => return Some((Err(e), State::Ended)),
                    };
                    return Some((Ok(delivery), State::Running(sub)));
                }
            }
        }))
    }
}
