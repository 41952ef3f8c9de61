// The line splitter every reader shares (LineSource; NextJsonValue is in
// json_values.cc) and the per-record value buffer (Scratch).
#include <algorithm>
#include <cstring>

#include "telemetry/telemetry_internal.h"

namespace accord::telemetry::internal {

// ---- LineSource ---------------------------------------------------------
// Hot path (every byte of telemetry passes here): one memchr per line over a
// large block, lines handed out as views in place, the partial last line
// moved down once per block (bench/match measures it with the matcher);
// the shape LineReader in core/io.cc already uses, minus its per-line checks.

LineSource::LineSource(InputStream& in, size_t max_line, RecordHandler* waiting)
    : in_(in),
      waiting_(waiting),
      max_line_(max_line),
      capacity_(std::clamp<size_t>(max_line + 1, size_t{1} << 16, size_t{1} << 20)) {
  buf_.resize(capacity_ + kLinePadding);
}

Status LineSource::Prime() {
  // Enough for DetectFormat to see a whole first line, without waiting on a
  // pipe for a full block.
  while (end_ < capacity_ && std::memchr(buf_.data(), '\n', end_) == nullptr) {
    if (!Fill()) break;
  }
  return status_;
}

bool LineSource::Fill() {
  if (eof_) return false;
  // The handler hears OnInputWait before the block moves or is overwritten:
  // views into it stay valid until then (Record::views_last_until_input_wait).
  if (waiting_ != nullptr) {
    // Quiet for a fifth of a second, not merely empty between two lines of a
    // busy pipe: idle writes stay a few a second at most.
    Status handled = in_.QuietFor(200) ? waiting_->OnInputIdle() : Status::Ok();
    if (handled.ok()) handled = waiting_->OnInputWait();
    if (!handled.ok()) {
      status_ = std::move(handled);
      eof_ = true;
      return false;
    }
  }
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scan_ -= begin_;
    base_offset_ += static_cast<int64_t>(begin_);
    begin_ = 0;
  }
  if (end_ == capacity_) {
    capacity_ *= 2;
    buf_.resize(capacity_ + kLinePadding);
  }
  auto n = in_.Read(buf_.data() + end_, capacity_ - end_);
  if (!n.ok()) {
    status_ = n.status();
    input_failed_ = true;
    eof_ = true;
    return false;
  }
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  end_ += *n;
  bytes_read_ += static_cast<int64_t>(*n);
  return true;
}

void LineSource::Emit(Line& line, size_t begin, size_t end, int64_t number) {
  size_t length = end - begin;
  line.number = number;
  line.too_long = skipping_ || length > max_line_;
  if (skipping_) {
    line.offset = skip_offset_;
    line.length = skip_length_ + static_cast<int64_t>(length);
    skipping_ = false;
  } else {
    line.offset = base_offset_ + static_cast<int64_t>(begin);
    line.length = static_cast<int64_t>(length);
  }
  if (line.too_long) {
    line.text = {};
    line.readable = 0;
    return;
  }
  if (length > 0 && buf_[end - 1] == '\r') --length;
  line.text = std::string_view(buf_.data() + begin, length);
  line.readable = buf_.size() - begin;
}

bool LineSource::Next(Line& line) {
  if (!status_.ok()) return false;
  for (;;) {
    if (scan_ < end_) {
      const void* nl = std::memchr(buf_.data() + scan_, '\n', end_ - scan_);
      if (nl != nullptr) {
        size_t nl_pos = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data());
        size_t begin = begin_;
        begin_ = scan_ = nl_pos + 1;
        Emit(line, begin, nl_pos, ++line_number_);
        return true;
      }
      scan_ = end_;
    }
    if (end_ - begin_ > max_line_) {
      // Over-long: drop what is buffered and keep dropping until its end.
      if (!skipping_) {
        skipping_ = true;
        skip_offset_ = base_offset_ + static_cast<int64_t>(begin_);
        skip_length_ = 0;
      }
      skip_length_ += static_cast<int64_t>(end_ - begin_);
      base_offset_ += static_cast<int64_t>(end_);
      begin_ = end_ = scan_ = 0;
    }
    if (!Fill()) {
      if (!status_.ok()) return false;
      if (begin_ == end_ && !skipping_) return false;
      size_t begin = begin_;
      begin_ = scan_ = end_;
      Emit(line, begin, end_, ++line_number_);
      return true;
    }
  }
}

// ---- Scratch --------------------------------------------------------------

std::string_view Scratch::Append(std::initializer_list<std::string_view> parts) {
  size_t total = 0;
  for (std::string_view part : parts) total += part.size();
  if (buf_.size() + total > limit_) return {};
  size_t start = buf_.size();
  for (std::string_view part : parts) buf_.append(part);
  return std::string_view(buf_.data() + start, total);
}

std::string_view Scratch::UnescapeCsvQuotes(std::string_view content) {
  if (buf_.size() + content.size() > limit_) return {};
  size_t start = buf_.size();
  for (size_t i = 0; i < content.size(); ++i) {
    buf_.push_back(content[i]);
    if (content[i] == '"' && i + 1 < content.size() && content[i + 1] == '"') ++i;
  }
  return std::string_view(buf_.data() + start, buf_.size() - start);
}

std::string_view Scratch::UnescapeZeekBytes(std::string_view text) {
  if (buf_.size() + text.size() > limit_) return text;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const size_t start = buf_.size();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' && hex(text[i + 2]) >= 0 &&
        hex(text[i + 3]) >= 0) {
      buf_.push_back(static_cast<char>(hex(text[i + 2]) * 16 + hex(text[i + 3])));
      i += 3;
    } else {
      buf_.push_back(text[i]);
    }
  }
  return std::string_view(buf_.data() + start, buf_.size() - start);
}

}  // namespace accord::telemetry::internal
