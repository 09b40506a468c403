//! The `Feed` service: `Subscribe` over the event feed (`bangiao-feed`), each event converted to
//! its protobuf message.

use bangiao_feed::{FeedError, FeedFilter, FeedItem};
use bangiao_server::AppState;
use bangiao_server::error::ApiError;
use bangiao_server::reads::cleared_for;
use futures::stream::{BoxStream, StreamExt};
use tonic::{Request, Response, Status};

use crate::authz::{Call, authorize};
use crate::convert;
use crate::pb;
use crate::pb::subscribe_response::Message;
use crate::status::from_api;

/// The feed service over the service's state.
pub struct FeedApi {
    state: AppState,
}

impl FeedApi {
    /// The service over `state`.
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

fn feed_status(e: FeedError) -> Status {
    from_api(&ApiError::from(e))
}

fn message(item: FeedItem) -> Result<pb::SubscribeResponse, Status> {
    let message = match item {
        FeedItem::Event { event, redacted } => {
            let converted = convert::event_to_proto(&event, redacted).map_err(|e| {
                from_api(&ApiError::internal(format!(
                    "event at position {}: {e}",
                    event.position
                )))
            })?;
            Message::Event(converted)
        }
        FeedItem::Checkpoint(position) => Message::Checkpoint(pb::Checkpoint { position }),
    };
    Ok(pb::SubscribeResponse {
        message: Some(message),
    })
}

#[tonic::async_trait]
impl pb::feed_server::Feed for FeedApi {
    type SubscribeStream = BoxStream<'static, Result<pb::SubscribeResponse, Status>>;

    async fn subscribe(
        &self,
        request: Request<pb::SubscribeRequest>,
    ) -> Result<Response<Self::SubscribeStream>, Status> {
        let who = authorize(&self.state, &request, Call::read("/api/v1/events/feed")).await?;
        let request = request.into_inner();
        let filter = FeedFilter {
            fonds: request.fonds_codes,
            units: request.unit_codes,
            event_types: request.event_types,
        };
        let cleared = cleared_for(&self.state, &who)
            .await
            .map_err(|e| from_api(&e))?;
        let store = self.state.store.clone();
        let items = bangiao_feed::subscribe(store, cleared, request.from_position, filter)
            .map_err(feed_status)?;
        let messages = items.map(|item| item.map_err(feed_status).and_then(message));
        Ok(Response::new(messages.boxed()))
    }
}
