// The stream decoders io.cc hands whole files to: gzip (zlib), zstd
// (libzstd), xz (liblzma) and UTF-16 text (iconv). Each gives every byte that
// decodes before an error, then the error.
#include <iconv.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "core/io_internal.h"

namespace accord::io_internal {
namespace {

// A compressed file that ends mid-stream: an error, after every byte that
// decoded before the cut was handed out.
Status Truncated(const std::string& name, std::string_view format, uint64_t offset) {
  return Status::IoError(fmt::format(
      "{}: truncated {}: the file ends inside compressed data after {} bytes; the lines before that "
      "point were read",
      name, format, offset));
}

// gzip, decoded by zlib directly rather than libarchive's filter: a file cut
// short (a log rotated by copytruncate, a download that broke off) then
// gives every byte that decodes before the error, where libarchive's filter
// drops the last block it had decoded, up to 64 KiB of lines. Members
// written one after another (`cat a.gz b.gz`, logrotate's appends) read as
// one stream, as gunzip reads them.
class GzipStream final : public InputStream {
 public:
  GzipStream(std::unique_ptr<RawSource> src, std::string prefix)
      : src_(std::move(src)), in_(std::move(prefix)) {
    in_.reserve(kChunk);
  }
  ~GzipStream() override {
    if (initialised_) inflateEnd(&z_);
  }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_ || max == 0) return size_t{0};
    if (!initialised_) {
      // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
      if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) {
        return Status::Internal(fmt::format("{}: cannot start zlib", name()));
      }
      initialised_ = true;
      z_.next_in = reinterpret_cast<Bytef*>(in_.data());
      z_.avail_in = static_cast<uInt>(in_.size());
    }
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(max, 1u << 30));
    const uInt room = z_.avail_out;
    while (z_.avail_out == room) {
      if (z_.avail_in == 0) {
        if (input_ended_) {
          if (!in_member_) {
            done_ = true;
            return size_t{0};
          }
          return Truncated(name(), "gzip", src_->offset());
        }
        in_.resize(kChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data(), in_.size()));
        in_.resize(n);
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(n);
        if (n == 0) input_ended_ = true;
        continue;
      }
      if (!in_member_) {
        // Between members: another one, or padding (NULs from a preallocated
        // file) that gunzip also ignores.
        if (z_.next_in[0] != 0x1f) {
          done_ = true;
          return size_t{0};
        }
        if (inflateReset(&z_) != Z_OK) return Status::Internal(fmt::format("{}: zlib reset", name()));
        in_member_ = true;
      }
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::IoError(fmt::format("{}: corrupt compressed data: {}", name(),
                                           z_.msg != nullptr ? z_.msg : "zlib error"));
      }
    }
    const size_t n = room - z_.avail_out;
    if (!tar_checked_) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, n))) return TarRefused(name());
    }
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset() - z_.avail_in; }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<RawSource> src_;
  std::string in_;  // the sniffed prefix first, then each chunk read
  z_stream z_{};
  bool initialised_ = false;
  bool in_member_ = true;
  bool input_ended_ = false;
  bool done_ = false;
  bool tar_checked_ = false;
};

// zstd, decoded by libzstd directly for the reason GzipStream exists: a file
// cut short gives every byte that decodes before the error (libarchive's
// filter drops its last decoded block). Frames written one after another
// read as one stream, as `zstd -d` reads them.
class ZstdStream final : public InputStream {
 public:
  ZstdStream(std::unique_ptr<RawSource> src, std::string prefix)
      : src_(std::move(src)), in_(std::move(prefix)), stream_(ZSTD_createDStream()) {}
  ~ZstdStream() override { ZSTD_freeDStream(stream_); }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_ || max == 0) return size_t{0};
    if (stream_ == nullptr) return Status::Internal(fmt::format("{}: cannot start zstd", name()));
    ZSTD_outBuffer out{buf, max, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_.size()) {
        if (input_ended_) {
          if (!in_frame_) {
            done_ = true;
            return size_t{0};
          }
          return Truncated(name(), "zstd", src_->offset());
        }
        in_.resize(kChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data(), in_.size()));
        in_.resize(n);
        in_pos_ = 0;
        if (n == 0) input_ended_ = true;
        continue;
      }
      ZSTD_inBuffer in{in_.data(), in_.size(), in_pos_};
      const size_t rc = ZSTD_decompressStream(stream_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(rc)) {
        return Status::IoError(fmt::format("{}: corrupt compressed data: {}", name(), ZSTD_getErrorName(rc)));
      }
      in_frame_ = rc != 0;  // 0: a frame ended and all of it was given out
    }
    if (!tar_checked_) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, out.pos))) return TarRefused(name());
    }
    return out.pos;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset() - (in_.size() - in_pos_); }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<RawSource> src_;
  std::string in_;  // the sniffed prefix first, then each chunk read
  size_t in_pos_ = 0;
  ZSTD_DStream* stream_;
  bool in_frame_ = false;
  bool input_ended_ = false;
  bool done_ = false;
  bool tar_checked_ = false;
};

// xz, decoded by liblzma directly for the same reason (a log cut short gives
// every line before the cut, then says so); concatenated streams read as
// one, as `xz -d` reads them.
class XzStream final : public InputStream {
 public:
  XzStream(std::unique_ptr<RawSource> src, std::string prefix) : src_(std::move(src)), in_(std::move(prefix)) {}
  ~XzStream() override { lzma_end(&lzma_); }

  Result<size_t> Read(char* buf, size_t max) override {
    if (done_ || max == 0) return size_t{0};
    if (!initialised_) {
      if (lzma_stream_decoder(&lzma_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
        return Status::Internal(fmt::format("{}: cannot start the xz decoder", name()));
      }
      initialised_ = true;
      lzma_.next_in = reinterpret_cast<const uint8_t*>(in_.data());
      lzma_.avail_in = in_.size();
    }
    lzma_.next_out = reinterpret_cast<uint8_t*>(buf);
    lzma_.avail_out = max;
    while (lzma_.avail_out == max) {
      lzma_action action = LZMA_RUN;
      if (lzma_.avail_in == 0 && !input_ended_) {
        in_.resize(kChunk);
        ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data(), in_.size()));
        in_.resize(n);
        lzma_.next_in = reinterpret_cast<const uint8_t*>(in_.data());
        lzma_.avail_in = n;
        if (n == 0) input_ended_ = true;
      }
      if (input_ended_) action = LZMA_FINISH;
      const lzma_ret rc = lzma_code(&lzma_, action);
      if (rc == LZMA_STREAM_END) {
        done_ = true;
        break;
      }
      if (rc == LZMA_BUF_ERROR && input_ended_) {
        if (lzma_.avail_out != max) break;  // give what decoded; the error comes next call
        return Truncated(name(), "xz", src_->offset());
      }
      if (rc != LZMA_OK) {
        return Status::IoError(fmt::format("{}: corrupt compressed data: {}", name(),
                                           rc == LZMA_FORMAT_ERROR ? std::string("not xz")
                                           : rc == LZMA_DATA_ERROR ? std::string("xz data error")
                                           : rc == LZMA_MEM_ERROR  ? std::string("out of memory")
                                                                   : "xz error " + std::to_string(rc)));
      }
    }
    const size_t n = max - lzma_.avail_out;
    if (!tar_checked_ && n > 0) {
      tar_checked_ = true;
      if (LooksLikeTar(std::string_view(buf, n))) return TarRefused(name());
    }
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->offset() - lzma_.avail_in; }
  uint64_t compressed_size() const override { return src_->size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<RawSource> src_;
  std::string in_;  // the sniffed prefix first, then each chunk read
  lzma_stream lzma_ = LZMA_STREAM_INIT;
  bool initialised_ = false;
  bool input_ended_ = false;
  bool done_ = false;
  bool tar_checked_ = false;
};

// UTF-16 text with its byte-order mark (what Excel's "Unicode Text" and
// Windows tools write) as UTF-8, through glibc's iconv: every reader after
// this sees the same bytes as if the file had been saved as UTF-8.
class Utf16Stream final : public InputStream {
 public:
  static Result<std::unique_ptr<InputStream>> Create(std::unique_ptr<InputStream> src, std::string head) {
    const bool little_endian = head.starts_with("\xff\xfe");
    iconv_t converter = iconv_open("UTF-8", little_endian ? "UTF-16LE" : "UTF-16BE");
    if (converter == reinterpret_cast<iconv_t>(-1)) {
      return Status::Internal(fmt::format("{}: cannot convert UTF-16: {}", src->name(), std::strerror(errno)));
    }
    head.erase(0, 2);  // the byte-order mark
    return std::unique_ptr<InputStream>(new Utf16Stream(std::move(src), std::move(head), converter));
  }
  ~Utf16Stream() override { iconv_close(converter_); }

  // Any `max` works, one byte included: the text is converted into a
  // buffer of its own and handed out from there (a UTF-8 character may be
  // longer than what a caller asks for).
  Result<size_t> Read(char* buf, size_t max) override {
    if (max == 0) return size_t{0};
    while (out_pos_ == out_.size()) {
      ASSIGN_OR_RETURN(bool more, Convert());
      if (!more) return size_t{0};
    }
    const size_t n = std::min(max, out_.size() - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, n);
    out_pos_ += n;
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->compressed_offset(); }
  uint64_t compressed_size() const override { return src_->compressed_size(); }

 private:
  static constexpr size_t kChunk = 1 << 16;
  Utf16Stream(std::unique_ptr<InputStream> src, std::string head, iconv_t converter)
      : src_(std::move(src)), in_(std::move(head)), converter_(converter) {}

  // Converts the next piece into out_ (reading more input as needed); false
  // at the end of the text.
  Result<bool> Convert() {
    out_.resize(2 * kChunk);  // UTF-16 to UTF-8 at most 3 bytes for 2
    out_pos_ = 0;
    for (;;) {
      if (pending_ < in_.size()) {
        char* in = in_.data() + pending_;
        size_t in_left = in_.size() - pending_;
        char* out = out_.data();
        size_t out_left = out_.size();
        const size_t rc = iconv(converter_, &in, &in_left, &out, &out_left);
        const int error = rc == static_cast<size_t>(-1) ? errno : 0;
        const size_t consumed = (in_.size() - pending_) - in_left;
        pending_ += consumed;
        converted_ += consumed;
        if (error == EILSEQ) {
          return Status::Invalid(fmt::format(
              "{}: not UTF-16 at byte {} (the file starts with a UTF-16 byte-order mark)", name(),
              converted_ + 2));
        }
        const size_t produced = out_.size() - out_left;
        if (produced > 0) {
          out_.resize(produced);
          return true;
        }
        // EINVAL (a character cut at the end of the chunk) or all taken:
        // keep what is left and read more.
      }
      in_.erase(0, pending_);
      pending_ = 0;
      if (ended_) {
        if (!in_.empty()) {
          return Status::Invalid(fmt::format("{}: ends inside a UTF-16 character at byte {}", name(),
                                             converted_ + 2));
        }
        out_.clear();
        return false;
      }
      const size_t kept = in_.size();
      in_.resize(kept + kChunk);
      ASSIGN_OR_RETURN(size_t n, src_->Read(in_.data() + kept, kChunk));
      in_.resize(kept + n);
      if (n == 0) ended_ = true;
    }
  }

  std::unique_ptr<InputStream> src_;
  std::string in_;        // read, not yet converted from pending_ on
  size_t pending_ = 0;
  std::string out_;       // converted, handed out from out_pos_ on
  size_t out_pos_ = 0;
  uint64_t converted_ = 0;  // UTF-16 bytes converted, for messages
  bool ended_ = false;
  iconv_t converter_;
};

// What a decoder gave, with the bytes read to look for a byte-order mark
// served first.
class PrefixedInput final : public InputStream {
 public:
  PrefixedInput(std::unique_ptr<InputStream> src, std::string prefix)
      : src_(std::move(src)), prefix_(std::move(prefix)) {}
  Result<size_t> Read(char* buf, size_t max) override {
    if (prefix_pos_ == prefix_.size()) return src_->Read(buf, max);
    const size_t n = std::min(max, prefix_.size() - prefix_pos_);
    std::memcpy(buf, prefix_.data() + prefix_pos_, n);
    prefix_pos_ += n;
    return n;
  }
  const std::string& name() const override { return src_->name(); }
  uint64_t compressed_offset() const override { return src_->compressed_offset(); }
  uint64_t compressed_size() const override { return src_->compressed_size(); }
  bool QuietFor(int milliseconds) const override {
    return prefix_pos_ == prefix_.size() && src_->QuietFor(milliseconds);
  }

 private:
  std::unique_ptr<InputStream> src_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
};

// Decides at its first read whether the text is UTF-16 (a byte-order mark)
// and from then on hands out UTF-8 either way. Not at open: an error of the
// first read (a corrupt or truncated stream, a tar read as one stream) then
// comes from Read as it always did, where callers report a bad file and go
// on (an archive's other members, a REST body's 400).
class Utf16Sniffer final : public InputStream {
 public:
  explicit Utf16Sniffer(std::unique_ptr<InputStream> text)
      : name_(text->name()), source_(text.get()), text_(std::move(text)) {}
  Result<size_t> Read(char* buf, size_t max) override {
    if (decoded_ == nullptr) {
      if (text_ == nullptr) return Status::IoError(name_ + ": cannot read it as UTF-16");  // Decide failed
      ASSIGN_OR_RETURN(decoded_, Decide());
    }
    return decoded_->Read(buf, max);
  }
  const std::string& name() const override { return name_; }
  uint64_t compressed_offset() const override { return Alive() ? source_->compressed_offset() : 0; }
  uint64_t compressed_size() const override { return Alive() ? source_->compressed_size() : 0; }
  // Only once decided: the decision itself reads (and may wait).
  bool QuietFor(int milliseconds) const override {
    return decoded_ != nullptr && decoded_->QuietFor(milliseconds);
  }

 private:
  Result<std::unique_ptr<InputStream>> Decide() {
    // One large first read: the decoders look for a tar header in their
    // first output, which a two-byte read would hide.
    std::string head(64 << 10, '\0');
    size_t have = 0;
    while (have < 2) {
      ASSIGN_OR_RETURN(size_t n, text_->Read(head.data() + have, head.size() - have));
      if (n == 0) break;
      have += n;
    }
    head.resize(have);
    if (head.starts_with("\xff\xfe") || head.starts_with("\xfe\xff")) {
      return Utf16Stream::Create(std::move(text_), std::move(head));
    }
    return std::unique_ptr<InputStream>(new PrefixedInput(std::move(text_), std::move(head)));
  }

  bool Alive() const { return text_ != nullptr || decoded_ != nullptr; }

  std::string name_;
  const InputStream* source_;            // owned by text_, then by decoded_
  std::unique_ptr<InputStream> text_;    // until the first read
  std::unique_ptr<InputStream> decoded_;
};

}  // namespace

std::unique_ptr<InputStream> NewGzipStream(std::unique_ptr<RawSource> src, std::string head) {
  return std::make_unique<GzipStream>(std::move(src), std::move(head));
}

std::unique_ptr<InputStream> NewZstdStream(std::unique_ptr<RawSource> src, std::string head) {
  return std::make_unique<ZstdStream>(std::move(src), std::move(head));
}

std::unique_ptr<InputStream> NewXzStream(std::unique_ptr<RawSource> src, std::string head) {
  return std::make_unique<XzStream>(std::move(src), std::move(head));
}

std::unique_ptr<InputStream> DecodeUtf16IfMarked(std::unique_ptr<InputStream> text) {
  return std::make_unique<Utf16Sniffer>(std::move(text));
}

}  // namespace accord::io_internal
