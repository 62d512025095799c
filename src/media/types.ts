// The media collections' document types live with the store (src/store/media-types.ts); re-exported for the media stage.
export * from '../store/media-types';
