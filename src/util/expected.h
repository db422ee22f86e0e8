// Expected<T>: a value or an Error, returned across module boundaries.
//
// Ladder reports every failure caused by input (a peer, a file, the chain) as
// a value, never as an exception; exceptions are reserved for programmer
// errors (violated preconditions). An Error carries a stable, greppable code
// ("musig.invalid-contribution", "bad-txns-vin-empty") and a human message
// that may include details; callers branch on `code`, humans read `message`.
//
// Accessing value() of an Expected that holds an error is a programmer error
// and throws std::logic_error with the error's text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace ladder {

struct Error {
  std::string code;     // stable identifier, never reworded
  std::string message;  // human-readable detail
  // Optional culprit: which participant / input / element caused the error
  // (-1 when not applicable) and which of its contributions ("pubkey",
  // "pubnonce", "psig", ...). Lets callers name and exclude a bad peer.
  int index = -1;
  std::string what;

  std::string to_string() const { return message.empty() ? code : code + ": " + message; }
  bool operator==(const Error&) const = default;
};

inline Error make_error(std::string code, std::string message = {}) {
  return Error{std::move(code), std::move(message), -1, {}};
}

// An error that names its culprit (see Error::index / Error::what).
inline Error make_culprit_error(std::string code, int index, std::string what, std::string message = {}) {
  return Error{std::move(code), std::move(message), index, std::move(what)};
}

template <class T>
class [[nodiscard]] Expected {
 public:
  using value_type = T;

  Expected(const T& v) : v_(std::in_place_index<0>, v) {}
  Expected(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}
  Expected(Error e) : v_(std::in_place_index<1>, std::move(e)) {}
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> &&
             !std::is_same_v<std::decay_t<U>, Expected<T>>)
  Expected(U&& u) : v_(std::in_place_index<0>, T(std::forward<U>(u))) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    if (has_value()) throw std::logic_error("Expected::error() on a value");
    return std::get<1>(v_);
  }

 private:
  void check() const {
    if (!has_value()) throw std::logic_error("Expected::value() on error: " + std::get<1>(v_).to_string());
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error e) : err_(std::move(e)), ok_(false) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {
    if (!ok_) throw std::logic_error("Expected<void>::value() on error: " + err_.to_string());
  }
  const Error& error() const {
    if (ok_) throw std::logic_error("Expected::error() on a value");
    return err_;
  }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Expected<void>;

inline Status ok() { return {}; }

}  // namespace ladder

// Propagate an error from an Expected-returning expression; otherwise yield
// nothing. For use inside functions that themselves return Expected/Status.
#define LADDER_TRY(expr)                          \
  do {                                            \
    auto&& ladder_try_r_ = (expr);                \
    if (!ladder_try_r_) return ladder_try_r_.error(); \
  } while (0)

// Bind the value of an Expected-returning expression to `decl`, or return
// its error.
#define LADDER_CONCAT_INNER(a, b) a##b
#define LADDER_CONCAT(a, b) LADDER_CONCAT_INNER(a, b)
#define LADDER_ASSIGN(decl, expr) LADDER_ASSIGN_IMPL(LADDER_CONCAT(ladder_assign_, __LINE__), decl, expr)
#define LADDER_ASSIGN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                        \
  if (!tmp) return tmp.error();             \
  decl = std::move(tmp).value()
