// The legacy np.random stream in use: np.random's global MT19937, or a
// RandomState's while one of its methods runs (RandomStreams.cpp).
#pragma once

namespace ravel {
class LegacyRandom;
}

namespace ravel::exec {

/// While alive, the legacy np.random functions draw from `stream` (a
/// RandomState's method call) instead of np.random's global stream.
class LegacyStreamScope {
public:
  explicit LegacyStreamScope(LegacyRandom& stream);
  ~LegacyStreamScope();
  LegacyStreamScope(const LegacyStreamScope&) = delete;
  LegacyStreamScope& operator=(const LegacyStreamScope&) = delete;

private:
  LegacyRandom* previous_;
};
/// The stream the legacy functions draw from now.
LegacyRandom& currentLegacyStream();

} // namespace ravel::exec
