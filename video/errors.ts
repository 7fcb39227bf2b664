/** What a video request can be refused for at submit (400s, each with its own code) and how a video task can fail. */
import { NamedError } from "../core/server/errors";

/** The model is not a video model (or its family cannot be told from its header). */
export class NotAVideoModelError extends NamedError {
  override name = "NotAVideoModelError";
  override readonly code = "not_a_video_model";
  override readonly status = 400;
}

/** The family needs a companion file the request does not name (VAE, text encoder, clip_vision, high-noise model, motion module). */
export class VideoNeedsFileError extends NamedError {
  override name = "VideoNeedsFileError";
  override readonly code = "video_needs_file";
  override readonly status = 400;
}

/** The family needs an input the request lacks (a start image for I2V), or takes none of one it has. */
export class VideoNeedsInputError extends NamedError {
  override name = "VideoNeedsInputError";
  override readonly code = "video_needs_input";
  override readonly status = 400;
}

/** A size or frame count the family does not take. */
export class VideoSizeError extends NamedError {
  override name = "VideoSizeError";
  override readonly code = "video_size";
  override readonly status = 400;
}

/** The engine's video could not be made into a file browsers play (a damaged AVI, no format the app can save). */
export class VideoOutputError extends NamedError {
  override name = "VideoOutputError";
  override readonly code = "video_output";
  override readonly status = 500;
}
