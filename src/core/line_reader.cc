// LineReader (core/io.h): lines out of any InputStream, split in its own
// buffer so a line is a view with no copy.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/io.h"

namespace accord {

LineReader::LineReader(InputStream& in, size_t max_line) : in_(in), max_line_(max_line) {
  buf_.resize(std::max<size_t>(1 << 16, std::min<size_t>(max_line + 1, 1 << 20)));
}

bool LineReader::Refill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  auto n = in_.Read(buf_.data() + end_, buf_.size() - end_);
  if (!n.ok()) {
    status_ = n.status();
    eof_ = true;
    return false;
  }
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  end_ += *n;
  return true;
}

bool LineReader::Next(std::string_view& line) {
  if (!status_.ok()) return false;
  size_t scan_from = begin_;
  for (;;) {
    const char* start = buf_.data() + scan_from;
    const void* nl = std::memchr(start, '\n', end_ - scan_from);
    if (nl != nullptr) {
      size_t nl_pos = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data());
      size_t len = nl_pos - begin_;
      if (len > max_line_) break;
      line = std::string_view(buf_.data() + begin_, len);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      begin_ = nl_pos + 1;
      ++line_number_;
      return true;
    }
    if (end_ - begin_ > max_line_) break;
    // Everything up to end_ has been scanned; Refill moves the data down by
    // begin_, so that is where scanning resumes.
    scan_from = end_ - begin_;
    if (!Refill()) {
      if (!status_.ok()) return false;
      if (end_ == begin_) return false;
      line = std::string_view(buf_.data() + begin_, end_ - begin_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      begin_ = end_;
      ++line_number_;
      return true;
    }
  }
  status_ = Status::ResourceExhausted(
      fmt::format("{}:{}: line longer than {} bytes", in_.name(), line_number_ + 1, max_line_));
  return false;
}

}  // namespace accord
